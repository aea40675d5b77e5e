// The reference web map: what a front-end built on passerelle's public API looks like.
// Every view is in the URL (shareable); the language is remembered; a pasted token
// shows that role's view. The queries are in ./documents/, one operation per file.
import "./style.css";
import { ServiceMap } from "./map.js";
import { ApiError, geojson, graphql, query } from "./api.js";
import { isLang, t } from "./i18n.js";
import { renderCoverage } from "./views/coverage.js";
import { renderOrient } from "./views/orient.js";
import { renderListings } from "./views/listings.js";
import { renderDetail } from "./views/detail.js";
import { h, clear } from "./dom.js";
import Reference from "./documents/Reference.graphql";
import Services from "./documents/Services.graphql";
import ServicesMap from "./documents/ServicesMap.graphql";

const PAGE_SIZE = 25;
const LANG_KEY = "passerelle.lang";
const TOKEN_KEY = "passerelle.token";
const VIEWS = ["map", "coverage", "orient", "listings"];
/** URL parameters of the map view's filters. */
const FILTER_KEYS = ["q", "territory", "authority", "language", "free", "noref", "open", "cat"];

const app = {
  lang: "fr",
  token: sessionStorage.getItem(TOKEN_KEY) || null,
  reference: null,
  viewer: { role: "PUBLIC", organisations: [], bassin: null, group: null },
  map: null,
  params: new URLSearchParams(location.search),
  page: { after: null, items: [] },
  t: (key, values) => t(app.lang, key, values),
  navigate,
  select,
};

function initialLang(params) {
  const asked = params.get("lang");
  if (isLang(asked)) return asked;
  const stored = localStorage.getItem(LANG_KEY);
  if (isLang(stored)) return stored;
  const served = document.documentElement.dataset.defaultLang;
  return isLang(served) ? served : "fr";
}

/** Fills every `data-i18n` text and `data-i18n-label` accessible name. */
function translateStatic() {
  document.documentElement.lang = app.lang;
  document.title = `passerelle — ${app.t("title")}`;
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = app.t(element.dataset.i18n);
  }
  for (const element of document.querySelectorAll("[data-i18n-label]")) {
    element.setAttribute("aria-label", app.t(element.dataset.i18nLabel));
  }
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === app.lang));
  }
  document.getElementById("signin-toggle").textContent = app.token ? app.t("signOut") : app.t("signIn");
}

/** Changes the URL (pushing a history entry unless `replace`) and renders it. */
function navigate(changes, { replace = false } = {}) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === "" || value === false) params.delete(key);
    else params.set(key, value === true ? "1" : String(value));
  }
  params.set("lang", app.lang);
  const url = `${location.pathname}?${params}`;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  app.params = params;
  return render();
}

function currentView() {
  const view = app.params.get("view");
  return VIEWS.includes(view) ? view : "map";
}

function isProfessional() {
  return ["BASIN_TEAM", "ZONE_PARTNER", "ADMIN"].includes(app.viewer.role);
}

function canEdit() {
  return ["PARTNER", "ADMIN"].includes(app.viewer.role) && app.viewer.organisations.length > 0;
}

async function loadReference() {
  const { data, errors } = await graphql(Reference, { lang: app.lang.toUpperCase() }, app.token);
  if (!data) throw new ApiError(errors);
  app.reference = data;
  app.viewer = data.viewer;
}

// --- filters -----------------------------------------------------------------

function option(value, label, selected) {
  return h("option", { value, selected: selected || undefined }, label);
}

function buildFilters() {
  const { categories, authorities, bassins, communes } = app.reference;
  const territory = document.getElementById("f-territory");
  clear(territory).append(
    option("", app.t("anyTerritory")),
    h("optgroup", { label: app.t("bassins") }, ...bassins.map((b) => option(b.code, b.name))),
    h("optgroup", { label: app.t("communes") }, ...communes.map((c) => option(c.code, c.name))),
  );
  const authority = document.getElementById("f-authority");
  clear(authority).append(option("", app.t("anyAuthority")), ...authorities.map((a) => option(a.code, a.name)));
  const language = document.getElementById("f-language");
  clear(language).append(
    option("", app.t("anyLanguage")),
    ...[
      ["fr", "français"],
      ["nl", "Nederlands"],
      ["en", "English"],
      ["de", "Deutsch"],
      ["ar", "العربية"],
      ["tr", "Türkçe"],
      ["es", "español"],
    ].map(([code, name]) => h("option", { value: code, lang: code }, name)),
  );
  // The category tree: parents before children, children nested in a list.
  const byParent = new Map();
  for (const category of categories) {
    const parent = category.parent?.code ?? "";
    if (!byParent.has(parent)) byParent.set(parent, []);
    byParent.get(parent).push(category);
  }
  const branch = (parent) => {
    const children = byParent.get(parent) ?? [];
    if (children.length === 0) return null;
    return h(
      "ul",
      {},
      ...children.map((category) =>
        h(
          "li",
          {},
          h(
            "label",
            {},
            h("input", { type: "checkbox", name: "cat", value: category.code }),
            ` ${category.name}`,
          ),
          branch(category.code),
        ),
      ),
    );
  };
  clear(document.getElementById("f-categories")).append(branch("") ?? "");
}

function filtersToForm() {
  const p = app.params;
  document.getElementById("f-text").value = p.get("q") ?? "";
  document.getElementById("f-territory").value = p.get("territory") ?? "";
  document.getElementById("f-authority").value = p.get("authority") ?? "";
  document.getElementById("f-language").value = p.get("language") ?? "";
  document.getElementById("f-free").checked = p.has("free");
  document.getElementById("f-noref").checked = p.has("noref");
  document.getElementById("f-open").checked = p.has("open");
  const categories = new Set((p.get("cat") ?? "").split(",").filter(Boolean));
  for (const box of document.querySelectorAll("#f-categories input")) box.checked = categories.has(box.value);
}

function formToChanges() {
  const form = document.getElementById("filters");
  const value = (name) => form.elements[name].value.trim();
  return {
    q: value("text"),
    territory: value("territory"),
    authority: value("authority"),
    language: value("language"),
    free: document.getElementById("f-free").checked,
    noref: document.getElementById("f-noref").checked,
    open: document.getElementById("f-open").checked,
    cat: [...document.querySelectorAll("#f-categories input:checked")].map((b) => b.value).join(","),
    service: null,
  };
}

/** The `ServiceFilter` of the URL's filters. */
function serviceFilter() {
  const p = app.params;
  const filter = {};
  if (p.get("q")) filter.text = p.get("q");
  if (p.get("territory")) filter.territory = p.get("territory");
  if (p.get("authority")) filter.authorities = [p.get("authority")];
  if (p.get("language")) filter.languages = [p.get("language")];
  if (p.has("free")) filter.fees = ["FREE"];
  if (p.has("noref")) filter.referralRequired = false;
  if (p.has("open")) filter.openAt = new Date().toISOString();
  const categories = (p.get("cat") ?? "").split(",").filter(Boolean);
  if (categories.length > 0) filter.categories = categories;
  return filter;
}

// --- the map view ------------------------------------------------------------

let shownFilter = null;

async function renderServices() {
  const filter = serviceFilter();
  const key = JSON.stringify({ filter: { ...filter, openAt: undefined }, open: !!filter.openAt, lang: app.lang, token: app.token });
  if (key === shownFilter) return;
  shownFilter = key;
  const count = document.getElementById("results-count");
  count.textContent = app.t("loading");
  const lang = app.lang.toUpperCase();
  const [page, points] = await Promise.all([
    query(Services, { filter, first: PAGE_SIZE, lang }, app.token),
    query(ServicesMap, { filter, lang }, app.token),
  ]);
  app.page = { after: page.services.pageInfo.endCursor, items: page.services.edges.map((e) => e.node) };
  count.textContent = app.t(filter.text ? "countRanked" : "count", { n: page.services.totalCount });
  const list = clear(document.getElementById("results-list"));
  list.append(...app.page.items.map(resultItem));
  document.getElementById("more").hidden = !page.services.pageInfo.hasNextPage;
  app.map.showServices(points.servicesGeoJson, { fit: Object.keys(filter).length > 0 });
}

async function moreServices() {
  const lang = app.lang.toUpperCase();
  const page = await query(Services, { filter: serviceFilter(), first: PAGE_SIZE, after: app.page.after, lang }, app.token);
  const items = page.services.edges.map((e) => e.node);
  app.page = { after: page.services.pageInfo.endCursor, items: [...app.page.items, ...items] };
  const list = document.getElementById("results-list");
  const first = items.map(resultItem);
  list.append(...first);
  first[0]?.querySelector("button")?.focus();
  document.getElementById("more").hidden = !page.services.pageInfo.hasNextPage;
}

function resultItem(service) {
  const badges = [];
  if (service.openNow === true) badges.push(h("span", { class: "badge open" }, app.t("openNowBadge")));
  if (service.fee === "FREE") badges.push(h("span", { class: "badge" }, app.t("fee_FREE")));
  if (!service.published) badges.push(h("span", { class: "badge warn" }, app.t("unpublished")));
  if (service.status === "INACTIVE") badges.push(h("span", { class: "badge warn" }, app.t("inactive")));
  const selected = app.params.get("service") === service.id;
  return h(
    "li",
    { class: selected ? "selected" : undefined, "data-service": service.id },
    h(
      "button",
      { type: "button", class: "result", "aria-current": selected ? "true" : undefined, onclick: () => select(service.id) },
      h("span", { class: "name" }, service.name),
      h("span", { class: "org" }, service.organisation.name),
      h("span", { class: "cats" }, service.categories.map((c) => c.name).join(" · ")),
      service.sites[0]?.address ? h("span", { class: "addr" }, service.sites[0].address) : "",
      badges.length > 0 ? h("span", { class: "badges" }, ...badges) : "",
    ),
  );
}

function select(serviceId) {
  return navigate({ service: serviceId });
}

async function renderSelection() {
  const id = app.params.get("service");
  const panel = document.getElementById("detail");
  for (const li of document.querySelectorAll("#results-list li")) {
    const selected = li.dataset.service === id;
    li.classList.toggle("selected", selected);
    const button = li.querySelector("button");
    if (selected) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  }
  if (!id) {
    panel.hidden = true;
    return;
  }
  await renderDetail(app, panel, id, isProfessional());
  app.map.select(id);
}

// --- rendering ----------------------------------------------------------------

let referenceLang = null;
let referenceToken = undefined;
let baseDrawn = null;

async function render() {
  const lang = initialLang(app.params);
  if (lang !== app.lang) {
    app.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }
  translateStatic();
  if (referenceLang !== app.lang || referenceToken !== app.token) {
    try {
      await loadReference();
    } catch (error) {
      if (app.token && error instanceof ApiError) {
        // A refused token: say so, and go on as the public.
        showViewer(app.t("tokenRefused"));
        app.token = null;
        sessionStorage.removeItem(TOKEN_KEY);
        await loadReference();
      } else {
        throw error;
      }
    }
    referenceLang = app.lang;
    referenceToken = app.token;
    shownFilter = null;
    buildFilters();
  }
  showViewer();
  const view = currentView();
  const allowed = {
    map: true,
    coverage: true,
    orient: isProfessional(),
    listings: canEdit(),
  };
  for (const link of document.querySelectorAll("#views a")) {
    const linkView = link.dataset.view;
    link.hidden = !allowed[linkView];
    const params = new URLSearchParams({ view: linkView, lang: app.lang });
    link.href = `?${params}`;
    if (linkView === view) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.getElementById("main").dataset.view = view;
  for (const part of document.querySelectorAll("[data-view-part]")) part.hidden = part.dataset.viewPart !== view;
  document.getElementById("legend").hidden = view !== "coverage";
  await drawBase();
  app.map.setMode(view);
  filtersToForm();
  if (view === "map") {
    await renderServices();
    await renderSelection();
  } else {
    document.getElementById("detail").hidden = true;
  }
  if (view === "coverage") await renderCoverage(app, document.getElementById("coverage"), document.getElementById("legend"));
  if (view === "orient") await renderOrient(app, document.getElementById("orient"), allowed.orient);
  if (view === "listings") await renderListings(app, document.getElementById("listings"), allowed.listings);
  app.map.invalidate();
}

const geometry = {};

async function drawBase() {
  const own = app.viewer.bassin?.code ?? null;
  const key = `${app.lang}|${own}`;
  if (baseDrawn === key) return;
  for (const level of ["region", "commune", "bassin"]) {
    geometry[level] ??= await geojson("/geojson/territories", { level });
  }
  app.map.drawBase({ region: geometry.region, communes: geometry.commune, bassins: geometry.bassin, ownBassin: own });
  baseDrawn = key;
}

function showViewer(message) {
  const line = document.getElementById("viewer");
  const viewer = app.viewer;
  if (message) {
    line.textContent = message;
    return;
  }
  if (viewer.role === "PUBLIC") {
    line.textContent = "";
    return;
  }
  const role = app.t(`role_${viewer.role.toLowerCase()}`);
  const bassin = viewer.bassin ? ` — ${app.t("yourBassin")} ${viewer.bassin.name}` : "";
  line.textContent = `${app.t("signedInAs")}${role}${bassin}`;
}

// --- events -------------------------------------------------------------------

function wire() {
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    navigate(formToChanges());
  });
  document.getElementById("filters").addEventListener("reset", () => {
    const cleared = Object.fromEntries(FILTER_KEYS.map((k) => [k, null]));
    setTimeout(() => navigate({ ...cleared, service: null }), 0);
  });
  document.getElementById("more").addEventListener("click", () => moreServices().catch(showError));
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.addEventListener("click", () => {
      app.lang = button.dataset.lang;
      localStorage.setItem(LANG_KEY, app.lang);
      navigate({ lang: app.lang }).catch(showError);
    });
  }
  document.getElementById("views").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-view]");
    if (!link) return;
    event.preventDefault();
    navigate({ view: link.dataset.view === "map" ? null : link.dataset.view, service: null, edit: null }).catch(showError);
  });
  const toggle = document.getElementById("signin-toggle");
  const panel = document.getElementById("signin");
  toggle.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) document.getElementById("token").focus();
  });
  document.getElementById("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = document.getElementById("token").value.trim();
    app.token = token || null;
    if (app.token) sessionStorage.setItem(TOKEN_KEY, app.token);
    else sessionStorage.removeItem(TOKEN_KEY);
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    render().catch(showError);
  });
  document.getElementById("signout").addEventListener("click", () => {
    app.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    document.getElementById("token").value = "";
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    navigate({ view: null, edit: null }).catch(showError);
  });
  window.addEventListener("popstate", () => {
    app.params = new URLSearchParams(location.search);
    render().catch(showError);
  });
}

function showError(error) {
  console.error(error);
  document.getElementById("viewer").textContent = app.t("error", { m: error.message });
}

async function start() {
  app.lang = initialLang(app.params);
  localStorage.setItem(LANG_KEY, app.lang);
  app.map = new ServiceMap(document.getElementById("map"), { onSelect: select });
  wire();
  await navigate({}, { replace: true });
  document.body.dataset.ready = "true";
}

start().catch(showError);

