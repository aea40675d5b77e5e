// The coverage view: residential quartiers coloured by how many categories of the basic
// offer are out of their inhabitants' reach (GET /geojson/coverage), a legend with the
// inhabitants of each class, and the same as a table for screen readers.
import { geojson } from "../api.js";
import { clear, h } from "../dom.js";
import { languageOptions, territoryOptions } from "../choices.js";
import { COVERAGE_COLOURS, coverageClass } from "../map.js";

const cache = new Map();
/** The visitor asked for a variant: its summary takes the focus once it is shown. */
let focusSummary = false;

/** A colour sample; its colour is set through the DOM (the page's CSP allows no inline style). */
function swatch(colour) {
  const sample = h("span", { class: "swatch", "aria-hidden": "true" });
  sample.style.background = colour;
  return sample;
}

function classLabel(app, index) {
  const last = COVERAGE_COLOURS.length - 1;
  if (index === 0) return app.t("none");
  return index === last ? `${index}+` : String(index);
}

/** The variant of the coverage asked in the URL: `/geojson/coverage` parameters. */
function variant(app) {
  const p = app.params;
  const params = { territory: p.get("area") || "region:bru", lang: app.lang };
  if (p.get("cspeaks")) params.languages = p.get("cspeaks");
  if (p.has("cfree")) params.freeOnly = "true";
  if (p.has("cnoref")) params.noReferral = "true";
  if (p.has("evenings")) params.openEvenings = "true";
  if (p.has("weekends")) params.openWeekends = "true";
  return params;
}

function variantForm(app) {
  const p = app.params;
  const area = h("select", { id: "c-area" }, ...territoryOptions(app, "region:bru", p.get("area")));
  const speaks = h("select", { id: "c-language" }, ...languageOptions(app, p.get("cspeaks")));
  const box = (id, key, label) => h("label", {}, h("input", { type: "checkbox", id, checked: p.has(key) || undefined }), ` ${app.t(label)}`);
  return h(
    "form",
    {
      class: "coverage-form",
      onsubmit: (event) => {
        event.preventDefault();
        focusSummary = true;
        const checked = (id) => document.getElementById(id).checked;
        app.navigate({
          area: area.value === "region:bru" ? null : area.value,
          cspeaks: speaks.value,
          cfree: checked("c-free"),
          cnoref: checked("c-noref"),
          evenings: checked("c-evenings"),
          weekends: checked("c-weekends"),
        });
      },
    },
    h("div", { class: "field" }, h("label", { for: "c-area" }, app.t("territory")), area),
    h("div", { class: "field" }, h("label", { for: "c-language" }, app.t("spokenLanguage")), speaks),
    h(
      "fieldset",
      { class: "checks" },
      h("legend", {}, app.t("conditions")),
      box("c-free", "cfree", "free"),
      box("c-noref", "cnoref", "noReferral"),
      box("c-evenings", "evenings", "openEvenings"),
      box("c-weekends", "weekends", "openWeekends"),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, app.t("apply"))),
  );
}

export async function renderCoverage(app, section, legend, generation) {
  const params = variant(app);
  const key = `${JSON.stringify(params)}|${app.token ?? ""}`;
  const intro = [h("h2", { id: "coverage-title" }, app.t("coverageTitle")), h("p", {}, app.t("coverageIntro")), variantForm(app)];
  if (!cache.has(key)) {
    // The form first: a variant the API refuses can be corrected.
    clear(section).append(...intro, h("p", { role: "status" }, app.t("loading")));
    try {
      cache.set(key, await geojson("/geojson/coverage", params));
    } catch (error) {
      if (generation === app.generation) focusSummary = false;
      throw error;
    }
  }
  if (generation !== app.generation) return;
  const collection = cache.get(key);
  const offer = new Map(app.reference.basicOffer.map((item) => [`${item.category?.code}@${item.scale.toLowerCase()}`, item]));
  const entryLabel = (entry) => {
    const item = offer.get(entry);
    if (!item) return entry;
    return `${item.category?.name ?? entry} (${item.reachMetres ? `${item.reachMetres} m` : item.scale.toLowerCase()})`;
  };
  const features = [...collection.features].sort(
    (a, b) => b.properties.missingCount - a.properties.missingCount || a.properties.name.localeCompare(b.properties.name, app.lang),
  );
  app.map.showCoverage(collection, (p) => `${p.name}: ${p.missingCount} — ${p.missing.map(entryLabel).join(", ") || app.t("none")}`);

  // The legend: each class with its quartiers and inhabitants.
  const classes = COVERAGE_COLOURS.map(() => ({ quartiers: 0, population: 0 }));
  let without = 0;
  for (const { properties } of features) {
    const c = classes[coverageClass(properties.missingCount)];
    c.quartiers += 1;
    c.population += properties.population ?? 0;
    if (properties.missingCount > 0) without += properties.population ?? 0;
  }
  const number = new Intl.NumberFormat(app.lang === "en" ? "en-GB" : `${app.lang}-BE`);
  clear(legend).append(
    h("h2", { class: "legend-title" }, app.t("missingCount")),
    h(
      "ul",
      {},
      ...classes.map((c, index) =>
        h(
          "li",
          {},
          swatch(COVERAGE_COLOURS[index]),
          `${classLabel(app, index)}: ${c.quartiers} × ${app.t("quartier").toLowerCase()}, ${number.format(c.population)} ${app.t("population").toLowerCase()}`,
        ),
      ),
    ),
  );

  const rows = features.map(({ properties: p }) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, p.name),
      h("td", { class: "num" }, p.population === null || p.population === undefined ? "—" : number.format(p.population)),
      h("td", { class: "num" }, String(p.missingCount)),
      h("td", {}, p.missing.map(entryLabel).join(", ") || app.t("none")),
      h("td", {}, p.partial.map(entryLabel).join(", ") || app.t("none")),
    ),
  );
  const summary = h("p", { class: "summary", tabindex: "-1" }, `${app.t("populationWithout")}: ${number.format(without)}`);
  clear(section).append(
    ...intro,
    summary,
    h(
      "table",
      { class: "coverage-table" },
      h("caption", {}, app.t("coverageTable")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, app.t("quartier")),
          h("th", { scope: "col" }, app.t("population")),
          h("th", { scope: "col" }, app.t("missingCount")),
          h("th", { scope: "col" }, app.t("missing")),
          h("th", { scope: "col" }, app.t("partial")),
        ),
      ),
      h("tbody", {}, ...rows),
    ),
  );
  if (focusSummary) summary.focus();
  focusSummary = false;
}
