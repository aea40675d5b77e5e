// The orientation form of basin teams and zone partners: a need in, services ranked
// with the reasons for their rank out (`orient`).
import { ApiError, query } from "../api.js";
import { clear, h, plainClick } from "../dom.js";
import { languageOptions, territoryOptions } from "../choices.js";
import Orient from "../documents/Orient.graphql";

const OUTCOME_MARK = { MET: "✓", FAILED: "✗", UNKNOWN: "?" };

function field(id, label, control) {
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

/** Where the need is: the URL's, else a basin team's own bassin; `region:bru` for all. */
function where(app) {
  return app.params.get("where") ?? app.viewer.bassin?.code ?? "region:bru";
}

let focusResults = false;

export async function renderOrient(app, section, allowed, generation) {
  clear(section).append(h("h2", { id: "orient-title" }, app.t("orientTitle")));
  if (!allowed) {
    section.append(h("p", {}, app.t("signInNeeded")));
    return;
  }
  const p = app.params;
  const { categories } = app.reference;
  const need = h("select", { id: "o-need", name: "need", required: true }, ...categories.map((c) => h("option", { value: c.code, selected: c.code === p.get("need") || undefined }, c.name)));
  const territory = h("select", { id: "o-territory", name: "territory" }, ...territoryOptions(app, "region:bru", where(app)));
  const language = h("select", { id: "o-language", name: "language" }, ...languageOptions(app, p.get("speaks")));
  const publics = h("input", { id: "o-publics", name: "publics", type: "text", value: p.get("publics") ?? "" });
  const free = h("input", { type: "checkbox", id: "o-free", checked: p.has("ofree") || undefined });
  const noReferral = h("input", { type: "checkbox", id: "o-noref", checked: p.has("onoref") || undefined });
  const results = h("ol", { class: "orientations", id: "orient-results" });
  const summary = h("h3", { id: "orient-summary", tabindex: "-1" });
  const form = h(
    "form",
    {
      class: "orient-form",
      onsubmit: (event) => {
        event.preventDefault();
        focusResults = true;
        app.navigate({
          need: need.value,
          where: territory.value,
          speaks: language.value,
          publics: publics.value.trim(),
          ofree: free.checked,
          onoref: noReferral.checked,
        });
      },
    },
    field("o-need", app.t("need"), need),
    field("o-territory", app.t("territory"), territory),
    field("o-language", app.t("spokenLanguage"), language),
    field("o-publics", app.t("publics"), publics),
    h("label", {}, free, ` ${app.t("free")}`),
    h("label", {}, noReferral, ` ${app.t("noReferral")}`),
    h("div", { class: "actions" }, h("button", { type: "submit" }, app.t("orientSubmit"))),
  );
  section.append(form, summary, results);
  if (!p.get("need")) {
    focusResults = false;
    return;
  }
  const place = where(app);
  const asked = {
    categories: [p.get("need")],
    territory: place === "region:bru" ? undefined : place,
    languages: p.get("speaks") ? [p.get("speaks")] : undefined,
    publics: p.get("publics") ? [p.get("publics")] : undefined,
    freeOnly: p.has("ofree") || undefined,
    noReferral: p.has("onoref") || undefined,
  };
  let data;
  try {
    data = await query(Orient, { need: asked, first: 10, lang: app.lang.toUpperCase() }, app.token);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code === "UNAUTHENTICATED") throw error;
    if (generation !== app.generation) return;
    summary.append(h("span", { class: "error", role: "alert" }, app.t("error", { m: error.message })));
    if (focusResults) summary.focus();
    focusResults = false;
    return;
  }
  if (generation !== app.generation) return;
  summary.textContent = app.t("proposals", { n: (data.orient ?? []).length });
  if (focusResults) summary.focus();
  focusResults = false;
  for (const proposal of data.orient ?? []) {
    const service = proposal.service;
    results.append(
      h(
        "li",
        { "data-service": service.id },
        h("h3", {}, h(
            "a",
            {
              href: `?${new URLSearchParams({ service: service.id, lang: app.lang })}`,
              onclick: (event) => {
                if (!plainClick(event)) return;
                event.preventDefault();
                app.focusDetail = true;
                app.navigate({ view: null, service: service.id });
              },
            },
            service.name,
          )),
        h("p", { class: "org" }, service.organisation.name, service.sites[0]?.address ? ` — ${service.sites[0].address}` : ""),
        proposal.walkingMinutes !== null ? h("p", {}, app.t("walking", { m: proposal.walkingMinutes })) : "",
        h(
          "ul",
          { class: "reasons" },
          ...proposal.reasons.map((reason) =>
            h("li", { class: `outcome-${reason.outcome.toLowerCase()}` }, h("span", { "aria-hidden": "true" }, `${OUTCOME_MARK[reason.outcome] ?? ""} `), reason.explanation),
          ),
        ),
      ),
    );
  }
}
