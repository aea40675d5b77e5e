// The detail panel of one service: names, addresses and opening hours (today's
// highlighted), languages, fee, referral, accreditations with their authorities,
// contacts, and for professionals their groups' notes.
import { graphql, query } from "../api.js";
import { clear, h } from "../dom.js";
import AnnotateService from "../documents/AnnotateService.graphql";
import ServiceDetail from "../documents/ServiceDetail.graphql";

/** ISO weekday (1 = Monday) in Brussels now. */
function brusselsWeekday() {
  const name = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "Europe/Brussels" }).format(new Date());
  return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(name) + 1;
}

function contactLink(contact) {
  const value = contact.value;
  switch (contact.kind) {
    case "phone":
      return h("a", { href: `tel:${value.replace(/[^0-9+]/g, "")}` }, value);
    case "email":
      return h("a", { href: `mailto:${value}` }, value);
    case "web":
      return /^https?:\/\//.test(value) ? h("a", { href: value, rel: "noopener" }, value) : value;
    default:
      return value;
  }
}

function schedule(app, site) {
  if (site.schedule.length === 0) return h("p", { class: "hint" }, app.t("noHours"));
  const today = brusselsWeekday();
  const rows = [];
  for (let day = 1; day <= 7; day++) {
    const slots = site.schedule.filter((s) => s.weekday === day).map((s) => `${s.opens}–${s.closes}`);
    const isToday = day === today;
    rows.push(
      h(
        "tr",
        { class: isToday ? "today" : undefined, "aria-current": isToday ? "date" : undefined },
        h("th", { scope: "row" }, app.t(`weekday${day}`), isToday ? ` (${app.t("today")})` : ""),
        h("td", {}, slots.length > 0 ? slots.join(", ") : app.t("closed")),
      ),
    );
  }
  return h("table", { class: "hours" }, h("tbody", {}, ...rows));
}

/** The service's French and Dutch names, each marked with its language. */
function names(data) {
  if (!data.fr || !data.nl || data.fr.name === data.nl.name) return null;
  return h("span", {}, h("span", { lang: "fr" }, data.fr.name), " / ", h("span", { lang: "nl" }, data.nl.name));
}

function note(app, annotation) {
  const when = new Date(annotation.createdAt).toLocaleDateString(app.lang === "en" ? "en-GB" : `${app.lang}-BE`);
  return h(
    "li",
    {},
    h("strong", {}, `${app.t(`kind_${annotation.kind}`)} · ${annotation.group} · ${app.t(`visibility_${annotation.visibility}`)}`),
    ` — ${annotation.body} `,
    h("span", { class: "hint" }, `(${annotation.author}, ${when})`),
  );
}

/** The notes the caller's group may read, and a form to add one of its own. */
function notes(app, service) {
  const list = h("ul", { id: "notes-list" }, ...service.annotations.map((a) => note(app, a)));
  const empty = h("p", { class: "hint", hidden: service.annotations.length > 0 || undefined }, app.t("noAnnotations"));
  const kind = h("select", { id: "note-kind" }, ...["NOTE", "VERIFICATION", "HELPDESK_TIP"].map((k) => h("option", { value: k }, app.t(`kind_${k}`))));
  const body = h("textarea", { id: "note-body", rows: 2, required: true, "aria-describedby": "note-status" });
  const private_ = h("input", { type: "checkbox", id: "note-private" });
  const status = h("p", { id: "note-status", role: "status" });
  const form = h(
    "form",
    {
      class: "note-form",
      onsubmit: async (event) => {
        event.preventDefault();
        status.textContent = "";
        const submit = event.target.querySelector("button[type=submit]");
        submit.disabled = true;
        let data;
        let errors;
        try {
          ({ data, errors } = await graphql(
            AnnotateService,
            { input: { service: service.id, kind: kind.value, body: body.value.trim(), shared: !private_.checked } },
            app.token,
          ));
        } catch (error) {
          errors = [{ message: error.message }];
        } finally {
          submit.disabled = false;
        }
        if (errors.length > 0 || !data?.annotateService) {
          status.className = "field-error";
          status.textContent = app.t("error", { m: errors.map((e) => e.message).join("; ") });
          return;
        }
        list.append(note(app, data.annotateService.annotation));
        empty.hidden = true;
        body.value = "";
        status.className = "";
        status.textContent = app.t("noteSaved");
      },
    },
    h("div", { class: "field" }, h("label", { for: "note-kind" }, app.t("noteKind")), kind),
    h("div", { class: "field" }, h("label", { for: "note-body" }, app.t("noteBody")), body),
    h("label", {}, private_, ` ${app.t("notePrivate")}`),
    h("div", { class: "actions" }, h("button", { type: "submit" }, app.t("addNote"))),
    status,
  );
  // An administrator reads every group's notes but writes for none by default.
  return h("section", { class: "notes" }, h("h3", {}, app.t("annotations")), empty, list, app.viewer.group ? form : "");
}

/** Renders the panel; `null` when a newer render came first (nothing was drawn), else
 * the service (`null` inside when there is none to show). */
export async function renderDetail(app, panel, id, { professional, focus, generation }) {
  const lang = app.lang.toUpperCase();
  const data = await query(ServiceDetail, { id, lang, professional }, app.token);
  if (generation !== app.generation) return null;
  const service = data.service;
  clear(panel);
  panel.hidden = false;
  const close = h(
    "button",
    {
      type: "button",
      class: "close",
      onclick: async () => {
        await app.navigate({ service: null });
        // Back to where the visitor came from: the service in the list.
        const item = document.querySelector(`#results-list li[data-service="${CSS.escape(id)}"] button`);
        (item ?? document.getElementById("results")).focus();
      },
    },
    app.t("close"),
  );
  if (!service) {
    panel.append(h("h2", { id: "detail-title" }, "—"), close);
    return { service: null };
  }
  const dl = (pairs) =>
    h("dl", {}, ...pairs.filter(([, value]) => value !== null && value !== undefined && value !== "").flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
  const sites = service.sites.map((site) =>
    h(
      "li",
      {},
      h("p", { class: "addr" }, site.address ?? "—", site.openNow === true ? h("span", { class: "badge open" }, app.t("openNowBadge")) : site.openNow === false ? h("span", { class: "badge" }, app.t("closedNowBadge")) : ""),
      schedule(app, site),
      site.scheduleRemark ? h("p", { class: "hint" }, site.scheduleRemark) : "",
      site.wheelchairAccessible ? h("p", {}, app.t("wheelchair")) : "",
      site.accessibilityNote ? h("p", { class: "hint" }, site.accessibilityNote) : "",
    ),
  );
  const annotations = professional && service.annotations ? notes(app, service) : "";
  // Sections given as arrays (a heading and its list) are flattened: append takes nodes.
  const parts = [
    h("h2", { id: "detail-title" }, service.name),
    close,
    dl([
      [app.t("names"), names(data)],
      [app.t("organisation"), service.organisation.name],
      [app.t("categories"), service.categories.map((c) => c.name).join(", ")],
      [app.t("publicFor"), service.targetPublic],
      [app.t("languages"), service.languages.join(", ").toUpperCase()],
      [app.t("fee"), app.t(`fee_${service.fee}`)],
      [app.t("referral"), service.referralRequired ? app.t("referralNeeded") : app.t("referralNotNeeded")],
    ]),
    service.description ? h("p", { class: "description" }, service.description) : "",
    h("h3", {}, app.t("addresses")),
    h("ul", { class: "sites" }, ...sites),
    service.accreditations.length > 0
      ? [h("h3", {}, app.t("accreditations")), h("ul", {}, ...service.accreditations.map((a) => h("li", {}, `${a.authority.name} (${a.authority.code.toUpperCase()})`, a.legalBasis ? ` — ${a.legalBasis}` : "")))]
      : "",
    service.contacts.length > 0 ? [h("h3", {}, app.t("contacts")), h("ul", {}, ...service.contacts.map((c) => h("li", {}, contactLink(c))))] : "",
    annotations,
  ];
  panel.append(...parts.flat().filter((part) => part !== ""));
  if (focus) panel.focus();
  return { service };
}
