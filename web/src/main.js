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
import { h, clear, plainClick } from "./dom.js";
import { languageOptions, territoryOptions } from "./choices.js";
import Reference from "./documents/Reference.graphql";
import Services from "./documents/Services.graphql";
import ServicesMap from "./documents/ServicesMap.graphql";
import ServicesCount from "./documents/ServicesCount.graphql";

const PAGE_SIZE = 25;
const LANG_KEY = "passerelle.lang";
const TOKEN_KEY = "passerelle.token";
const VIEWS = ["map", "coverage", "orient", "listings"];
/** URL parameters of the map view's filters. */
const FILTER_KEYS = ["q", "territory", "authority", "language", "free", "noref", "open", "cat"];

const app = {
  lang: "fr",
  token: sessionStorage.getItem(TOKEN_KEY) || null,
  /** Raised by each render: an answer that comes back for an older one is dropped. */
  generation: 0,
  /** A message about the sign-in that outlives renders (a refused token). */
  notice: "",
  /** Focus the detail panel on its next render (the visitor selected a service). */
  focusDetail: false,
  reference: null,
  viewer: { role: "PUBLIC", organisations: [], bassin: null, group: null },
  map: null,
  params: new URLSearchParams(location.search),
  page: { after: null, items: [] },
  t: (key, values) => t(app.lang, key, values),
  navigate,
  select,
};

/** The URL's language, else the visitor's own choice (a language button), else the
 * one the server chose from `Accept-Language`. */
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
  const toggle = document.getElementById("signin-toggle");
  toggle.textContent = app.token ? app.t("signOut") : app.t("signIn");
  if (app.token) toggle.removeAttribute("aria-expanded");
  else toggle.setAttribute("aria-expanded", String(!document.getElementById("signin").hidden));
}

/** Changes the URL (pushing a history entry unless `replace`) and renders it; an error
 * is shown, never thrown. */
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
  return update();
}

/** Renders the URL, and shows what went wrong if anything did. */
async function update() {
  const token = app.token;
  const rendering = render();
  // render() raised the generation before its first await.
  const generation = app.generation;
  try {
    await rendering;
  } catch (error) {
    // A newer render is under way: this one's failure is no longer the page's.
    if (generation !== app.generation) return;
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED" && token && app.token === token) {
      // The token expired or was refused: go on as the public, and say so.
      forgetToken(app.t("tokenRefused"));
      return update();
    }
    app.focusDetail = false;
    showError(error);
  }
}

function forgetToken(notice) {
  app.token = null;
  app.notice = notice;
  sessionStorage.removeItem(TOKEN_KEY);
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
  return data;
}

// --- filters -----------------------------------------------------------------

function option(value, label, selected) {
  return h("option", { value, selected: selected || undefined }, label);
}

function buildFilters() {
  const { categories, authorities } = app.reference;
  clear(document.getElementById("f-territory")).append(...territoryOptions(app, ""));
  const authority = document.getElementById("f-authority");
  clear(authority).append(option("", app.t("anyAuthority")), ...authorities.map((a) => option(a.code, a.name)));
  clear(document.getElementById("f-language")).append(...languageOptions(app));
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

let formFilters = null;

/** The form shows the URL's filters; it is refilled only when they change, so that a
 * choice not yet applied survives selecting a service. */
function filtersToForm() {
  const p = app.params;
  const key = FILTER_KEYS.map((k) => p.get(k)).join("|") + app.lang;
  if (key === formFilters) return;
  formFilters = key;
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

/** The `ServiceFilter` of the URL's filters ("open now" is this minute). */
function serviceFilter() {
  const p = app.params;
  const filter = {};
  if (p.get("q")) filter.text = p.get("q");
  if (p.get("territory")) filter.territory = p.get("territory");
  if (p.get("authority")) filter.authorities = [p.get("authority")];
  if (p.get("language")) filter.languages = [p.get("language")];
  if (p.has("free")) filter.fees = ["FREE"];
  if (p.has("noref")) filter.referralRequired = false;
  if (p.has("open")) {
    const now = new Date();
    now.setSeconds(0, 0);
    filter.openAt = now.toISOString();
  }
  const categories = (p.get("cat") ?? "").split(",").filter(Boolean);
  if (categories.length > 0) filter.categories = categories;
  return filter;
}

// --- the map view ------------------------------------------------------------

let shownFilter = null;
/** The count line of the list shown, put back when a load is dropped or fails. */
let shownCount = "";

async function renderServices(generation) {
  const filter = serviceFilter();
  // "Open now" keeps the instant of the list shown until the filters change: selecting a
  // service a minute later does not reload the list.
  const key = JSON.stringify({ filter: { ...filter, openAt: undefined }, open: "openAt" in filter, lang: app.lang, token: app.token });
  const count = document.getElementById("results-count");
  if (key === shownFilter) {
    count.textContent = shownCount;
    return;
  }
  count.textContent = app.t("loading");
  const lang = app.lang.toUpperCase();
  let page;
  try {
    page = await query(Services, { filter, first: PAGE_SIZE, lang }, app.token);
  } finally {
    // Failed: the list shown stays, with its count (a newer render sets its own).
    if (generation === app.generation && !page) count.textContent = shownCount;
  }
  if (generation !== app.generation) return;
  shownFilter = key;
  app.page = { filter, after: page.services.pageInfo.endCursor, items: page.services.edges.map((e) => e.node) };
  count.textContent = app.t(filter.text ? "countRanked" : "count", { n: page.services.totalCount });
  shownCount = count.textContent;
  const list = clear(document.getElementById("results-list"));
  list.append(...app.page.items.map(resultItem));
  document.getElementById("more").hidden = !page.services.pageInfo.hasNextPage;
  app.markers = { filter, all: page.services.totalCount <= maxMarkers() };
  if (app.markers.all) {
    const points = await query(ServicesMap, { filter, lang }, app.token);
    if (generation !== app.generation) return;
    hint("");
    app.map.showServices(points.servicesGeoJson, { fit: Object.keys(filter).length > 0 });
  } else {
    await markersInView();
  }
}

/** At most this many markers are drawn at once (`http.web_max_markers`, in the page). */
function maxMarkers() {
  return Number(document.documentElement.dataset.maxMarkers) || 2000;
}

function hint(text) {
  document.getElementById("map-hint").textContent = text;
}

let markerLoads = 0;

/** Too many services for one map: the markers of those in view, when they are few
 * enough; else a word to zoom in or filter. */
async function markersInView() {
  const load = ++markerLoads;
  const { filter } = app.markers;
  const inView = { ...filter, near: app.map.view() };
  const counted = await query(ServicesCount, { filter: inView }, app.token);
  if (load !== markerLoads) return;
  const total = counted.services.totalCount;
  if (total > maxMarkers()) {
    app.map.showServices({ features: [] }, { fit: false });
    hint(app.t("zoomIn", { n: total }));
    return;
  }
  const points = await query(ServicesMap, { filter: inView, lang: app.lang.toUpperCase() }, app.token);
  if (load !== markerLoads) return;
  hint("");
  app.map.showServices(points.servicesGeoJson, { fit: false });
}

async function moreServices() {
  const lang = app.lang.toUpperCase();
  const generation = app.generation;
  const shown = app.page;
  const page = await query(Services, { filter: shown.filter, first: PAGE_SIZE, after: shown.after, lang }, app.token);
  if (generation !== app.generation || shown !== app.page) return;
  const items = page.services.edges.map((e) => e.node);
  app.page = { filter: shown.filter, after: page.services.pageInfo.endCursor, items: [...shown.items, ...items] };
  const list = document.getElementById("results-list");
  const first = items.map(resultItem);
  list.append(...first);
  first[0]?.querySelector("button")?.focus();
  document.getElementById("more").hidden = !page.services.pageInfo.hasNextPage;
}

function resultItem(service) {
  const badges = [];
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
  app.focusDetail = true;
  return navigate({ service: serviceId });
}

async function renderSelection(generation) {
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
    app.map.unselect();
    return;
  }
  const focus = app.focusDetail;
  app.focusDetail = false;
  const shown = await renderDetail(app, panel, id, { professional: isProfessional(), focus, generation });
  if (shown) app.map.select(id, shown.service?.sites.find((site) => site.point)?.point);
}

// --- rendering ----------------------------------------------------------------

let referenceLang = null;
let referenceToken = undefined;
let baseDrawn = null;

async function render() {
  const generation = ++app.generation;
  document.getElementById("error").textContent = "";
  app.lang = initialLang(app.params);
  translateStatic();
  if (referenceLang !== app.lang || referenceToken !== app.token) {
    const reference = await loadReference();
    if (generation !== app.generation) return;
    app.reference = reference;
    app.viewer = reference.viewer;
    referenceLang = app.lang;
    referenceToken = app.token;
    shownFilter = null;
    formFilters = null;
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
  await drawBase(generation);
  if (generation !== app.generation) return;
  app.map.setMode(view);
  filtersToForm();
  if (view === "map") {
    await renderServices(generation);
    if (generation !== app.generation) return;
    await renderSelection(generation);
  } else {
    document.getElementById("detail").hidden = true;
    hint("");
  }
  if (view === "coverage") await renderCoverage(app, document.getElementById("coverage"), document.getElementById("legend"), generation);
  if (view === "orient") await renderOrient(app, document.getElementById("orient"), allowed.orient, generation);
  if (view === "listings") await renderListings(app, document.getElementById("listings"), allowed.listings, generation);
  app.map.invalidate();
}

const geometry = {};

async function drawBase(generation) {
  const own = app.viewer.bassin?.code ?? null;
  const key = `${app.lang}|${own}`;
  if (baseDrawn === key) return;
  for (const level of ["region", "commune", "bassin"]) {
    geometry[level] ??= await geojson("/geojson/territories", { level });
  }
  if (generation !== app.generation) return;
  app.map.drawBase({ region: geometry.region, communes: geometry.commune, bassins: geometry.bassin, ownBassin: own });
  baseDrawn = key;
}

function showViewer() {
  const line = document.getElementById("viewer");
  const viewer = app.viewer;
  if (viewer.role === "PUBLIC") {
    line.textContent = app.notice;
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
      // The visitor's own choice: remembered, unlike a language a URL carries.
      app.lang = button.dataset.lang;
      localStorage.setItem(LANG_KEY, app.lang);
      navigate({ lang: app.lang });
    });
  }
  document.getElementById("views").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-view]");
    if (!link || !plainClick(event)) return;
    event.preventDefault();
    navigate({ view: link.dataset.view === "map" ? null : link.dataset.view, service: null, edit: null });
  });
  const toggle = document.getElementById("signin-toggle");
  const panel = document.getElementById("signin");
  const closePanel = () => {
    panel.hidden = true;
    toggle.focus();
  };
  toggle.addEventListener("click", () => {
    if (app.token) {
      // Signed in, the button signs out.
      forgetToken("");
      navigate({ view: null, edit: null }).then(() => toggle.focus());
      return;
    }
    panel.hidden = !panel.hidden;
    translateStatic();
    if (!panel.hidden) document.getElementById("token").focus();
  });
  document.getElementById("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = document.getElementById("token");
    const token = field.value.trim();
    field.value = "";
    app.token = token || null;
    app.notice = "";
    if (app.token) sessionStorage.setItem(TOKEN_KEY, app.token);
    else sessionStorage.removeItem(TOKEN_KEY);
    closePanel();
    update();
  });
  document.getElementById("signout").addEventListener("click", () => {
    document.getElementById("token").value = "";
    forgetToken("");
    closePanel();
    navigate({ view: null, edit: null });
  });
  window.addEventListener("popstate", () => {
    app.params = new URLSearchParams(location.search);
    update();
  });
}

function showError(error) {
  console.error(error);
  document.getElementById("error").textContent = app.t("error", { m: error.message });
}

async function start() {
  app.lang = initialLang(app.params);
  app.map = new ServiceMap(document.getElementById("map"), { onSelect: select });
  app.map.onMoved(() => {
    if (currentView() === "map" && app.markers && !app.markers.all) markersInView().catch(showError);
  });
  wire();
  await navigate({}, { replace: true });
  document.body.dataset.ready = "true";
}

start().catch(showError);

