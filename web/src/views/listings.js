// A partner's own listings, published or not, and an edit form on the write API
// (`updateService` with the version the form was filled from): a version conflict and
// each refused field are shown where they occur, and nothing is half-written.
import { graphql, query } from "../api.js";
import { clear, h } from "../dom.js";
import EditableService from "../documents/EditableService.graphql";
import OwnListings from "../documents/OwnListings.graphql";
import UpdateService from "../documents/UpdateService.graphql";

/** The schema's `Fee` values (tests/tests/api/web.rs checks them against schema.graphql). */
const FEES = ["FREE", "INCOME_BASED", "FIXED", "INAMI_CONVENTIONED", "UNKNOWN"];

/** The form takes the focus when the visitor opens (or reloads) it. */
let focusForm = false;

export async function renderListings(app, section, allowed, generation) {
  // Built aside, then shown at once, unless a newer render came first.
  const parts = [h("h2", { id: "listings-title" }, app.t("listingsTitle"))];
  if (!allowed) {
    focusForm = false;
    clear(section).append(...parts, h("p", {}, app.t("signInNeeded")));
    return;
  }
  const lang = app.lang.toUpperCase();
  for (const id of app.viewer.organisations) {
    const data = await query(OwnListings, { id, lang }, app.token);
    const organisation = data.organisation;
    if (!organisation) continue;
    parts.push(
      h("h3", {}, organisation.name),
      h(
        "ul",
        { class: "listings" },
        ...organisation.services.map((service) =>
          h(
            "li",
            { "data-service": service.id },
            h("span", { class: "name" }, service.name),
            service.published ? "" : h("span", { class: "badge warn" }, app.t("unpublished")),
            service.status === "INACTIVE" ? h("span", { class: "badge warn" }, app.t("inactive")) : "",
            h(
              "button",
              {
                type: "button",
                "aria-label": `${app.t("edit")} — ${service.name}`,
                onclick: () => {
                  focusForm = true;
                  app.navigate({ edit: service.id });
                },
              },
              app.t("edit"),
            ),
          ),
        ),
      ),
    );
  }
  const editing = app.params.get("edit");
  if (editing) parts.push(await editForm(app, editing));
  if (generation !== app.generation) return;
  clear(section).append(...parts);
  if (editing && focusForm) section.querySelector("#nameFr")?.focus();
  focusForm = false;
}

function input(id, label, value, { multiline = false } = {}) {
  const control = multiline
    ? h("textarea", { id, name: id, rows: 4, "aria-describedby": `${id}-error` }, value ?? "")
    : h("input", { id, name: id, type: "text", value: value ?? "", "aria-describedby": `${id}-error` });
  return h("div", { class: "field" }, h("label", { for: id }, label), control, h("p", { class: "field-error", id: `${id}-error` }));
}

async function editForm(app, id) {
  const data = await query(EditableService, { id }, app.token);
  const form = h("form", { class: "edit-form", id: "edit-form", novalidate: true });
  if (!data.fr) {
    form.append(h("p", { role: "alert" }, "—"));
    return form;
  }
  const initial = {
    nameFr: data.fr.name,
    nameNl: data.nl.name,
    descriptionFr: data.fr.description ?? "",
    descriptionNl: data.nl.description ?? "",
    languages: data.fr.languages.join(", "),
    fee: data.fr.fee,
    referralRequired: data.fr.referralRequired,
    published: data.fr.published,
  };
  let version = data.fr.version;
  const status = h("div", { class: "form-status", id: "edit-status", role: "status" });
  const fee = h("select", { id: "fee", name: "fee", "aria-describedby": "fee-error" }, ...FEES.map((f) => h("option", { value: f, selected: f === initial.fee || undefined }, app.t(`fee_${f}`))));
  const referral = h("input", { type: "checkbox", id: "referralRequired", checked: initial.referralRequired || undefined, "aria-describedby": "referralRequired-error" });
  const published = h("input", { type: "checkbox", id: "published", checked: initial.published || undefined, "aria-describedby": "published-error" });
  form.append(
    h("h3", { id: "edit-title" }, app.t("editTitle", { name: initial.nameFr })),
    status,
    input("nameFr", app.t("nameFr"), initial.nameFr),
    input("nameNl", app.t("nameNl"), initial.nameNl),
    input("descriptionFr", app.t("descriptionFr"), initial.descriptionFr, { multiline: true }),
    input("descriptionNl", app.t("descriptionNl"), initial.descriptionNl, { multiline: true }),
    input("languages", app.t("languagesCodes"), initial.languages),
    h("div", { class: "field" }, h("label", { for: "fee" }, app.t("fee")), fee, h("p", { class: "field-error", id: "fee-error" })),
    h("label", {}, referral, ` ${app.t("referralNeeded")} (${app.t("referral").toLowerCase()})`),
    h("p", { class: "field-error", id: "referralRequired-error" }),
    h("label", {}, published, ` ${app.t("published")}`),
    h("p", { class: "field-error", id: "published-error" }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, app.t("save"))),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    for (const error of form.querySelectorAll(".field-error")) error.textContent = "";
    clear(status).removeAttribute("class");
    status.className = "form-status";
    const now = {
      nameFr: form.elements.nameFr.value.trim(),
      nameNl: form.elements.nameNl.value.trim(),
      descriptionFr: form.elements.descriptionFr.value.trim(),
      descriptionNl: form.elements.descriptionNl.value.trim(),
      languages: form.elements.languages.value,
      fee: fee.value,
      referralRequired: referral.checked,
      published: published.checked,
    };
    // Only what the form changed is sent: a field left alone keeps its stored value
    // (a name shown through the other language's fallback is never written back).
    const fields = {};
    for (const [key, value] of Object.entries(now)) {
      if (value === initial[key]) continue;
      fields[key] = key === "languages" ? value.split(",").map((l) => l.trim().toLowerCase()).filter(Boolean) : value;
    }
    if (Object.keys(fields).length === 0) {
      status.textContent = app.t("nothingChanged");
      return;
    }
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    let written;
    let errors;
    try {
      ({ data: written, errors } = await graphql(UpdateService, { input: { id, version, service: fields } }, app.token));
    } catch (error) {
      errors = [{ message: error.message }];
    } finally {
      submit.disabled = false;
    }
    if (errors.length === 0 && written?.updateService) {
      version = written.updateService.result.version;
      Object.assign(initial, now);
      status.textContent = app.t("saved", { v: version });
      return;
    }
    const conflict = errors.find((e) => e.extensions?.code === "CONFLICT");
    if (conflict) {
      status.className = "form-status alert";
      status.append(
        h("p", { role: "alert" }, app.t("conflict", { v: conflict.extensions.currentVersion ?? "?" })),
        h(
          "button",
          {
            type: "button",
            onclick: () => {
              focusForm = true;
              app.navigate({ edit: id }, { replace: true });
            },
          },
          app.t("reload"),
        ),
      );
      return;
    }
    const invalid = errors.filter((e) => e.extensions?.code === "VALIDATION_FAILED");
    if (invalid.length > 0) {
      status.className = "form-status alert";
      status.append(h("p", { role: "alert" }, app.t("invalid")));
      let first = null;
      for (const error of invalid) {
        const name = String(error.extensions.field ?? "").replace(/^service\./, "").replace(/\[\d+\]$/, "");
        const control = name ? form.querySelector(`#${CSS.escape(name)}`) : null;
        const message = name ? form.querySelector(`#${CSS.escape(name)}-error`) : null;
        if (control) {
          control.setAttribute("aria-invalid", "true");
          first ??= control;
        }
        (message ?? status).append(`${error.message} (${error.extensions.reason ?? ""})`);
      }
      first?.focus();
      return;
    }
    status.className = "form-status alert";
    status.append(h("p", { role: "alert" }, app.t("error", { m: errors.map((e) => e.message).join("; ") })));
  });
  return form;
}
