// Browser tests of the web map, run by tests/tests/api/web.rs against a passerelle
// test server (trusted documents only). Headless Chromium through playwright-core,
// every host but the loopback unresolvable (the page must work offline), axe-core for
// WCAG 2.1 A and AA on every view. Screenshots go to $ARTIFACTS.
//
// Environment: PASSERELLE_URL, CHROMIUM (default /usr/bin/chromium), ARTIFACTS,
// TOKEN_BASIN_TEAM (bassin Nord), TOKEN_ZONE_PARTNER, TOKEN_PARTNER, PARTNER_HIDDEN_SERVICE (an unpublished
// service of the partner's).
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const base = process.env.PASSERELLE_URL;
assert.ok(base, "PASSERELLE_URL is required");
const artifacts = process.env.ARTIFACTS ?? "target/web-artifacts";
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const documents = JSON.parse(readFileSync(new URL("../../api/assets/web/documents.json", import.meta.url), "utf8"));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"],
});

const failures = [];
const foreign = new Set();
const problems = [];

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failures.push(name);
    console.log(`FAIL ${name}: ${error.stack ?? error}`);
  }
}

/** A fresh browser profile (no stored language or token) and a page in it. */
async function open({ path = "/", locale = "fr-BE", viewport = { width: 1280, height: 900 }, expectErrors = false } = {}) {
  const context = await browser.newContext({ locale, viewport });
  context.on("request", (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith("data:")) foreign.add(request.url());
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    // A refused token is answered 401, which Chromium logs; nothing else is expected.
    const expected = expectErrors && /status of 401/.test(message.text());
    if (message.type() === "error" && !expected) problems.push(`console: ${message.text()}`);
  });
  await page.goto(base + path);
  await ready(page);
  return page;
}

async function ready(page) {
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
  await page.waitForFunction(() => !/…/.test(document.getElementById("results-count")?.textContent ?? ""));
}

/** Zero axe-core violations of WCAG 2.1 levels A and AA. */
async function accessible(page, name) {
  // Evaluated through the DevTools protocol, which the page's CSP does not restrict.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
  assert.deepEqual(violations, [], `${name}: axe-core violations\n${JSON.stringify(violations, null, 2)}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

async function count(page) {
  const text = await page.locator("#results-count").textContent();
  const match = text.match(/([\d\s.,]+)/);
  assert.ok(match, `no count in ${JSON.stringify(text)}`);
  return Number(match[1].replace(/[^\d]/g, ""));
}

async function apply(page) {
  const before = page.url();
  await page.locator("#filters button[type=submit]").click();
  await page.waitForURL((url) => url.toString() !== before);
  await ready(page);
  await page.waitForLoadState("networkidle");
}

async function signIn(page, token) {
  await page.locator("#signin-toggle").click();
  await page.locator("#token").fill(token);
  await page.locator("#signin-form button[type=submit]").click();
  await page.waitForFunction(() => /:/.test(document.getElementById("viewer").textContent));
}

function documentId(operation) {
  const [hash] = Object.entries(documents).find(([, text]) => new RegExp(`^(query|mutation) ${operation}\\b`).test(text));
  return `sha256:${hash}`;
}

/** The API's `data` for one of the page's queries, asked as the page asks it (GET by hash). */
async function ask(operation, variables, token) {
  const params = new URLSearchParams({ documentId: documentId(operation), variables: JSON.stringify(variables) });
  const response = await fetch(`${base}/graphql?${params}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body));
  return body.data;
}

let publicPage;

await step("loads from the server alone, with the network off, in the visitor's language", async () => {
  const page = await open();
  publicPage = page;
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  assert.match(await page.locator("h1").textContent(), /Carte des services/);
  // The base map is the region's own geometry: region, 19 communes, 5 bassins.
  assert.ok((await page.locator(".leaflet-overlay-pane path").count()) >= 25);
  const total = await count(page);
  assert.ok(total > 100);
  assert.ok((await page.locator("#results-list li").count()) > 0);
  // More services than the server lets the map draw (100 in this test): it asks to zoom in.
  await page.waitForFunction(() => /dans cette vue/.test(document.getElementById("map-hint").textContent));
  assert.equal(await page.locator(".leaflet-marker-icon").count(), 0);
  await accessible(page, "map");
  await shot(page, "01-map-fr");
  // Zoomed in, the services in view are drawn, as the API gives them for the view.
  const drawn = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (url.searchParams.get("operationName") === "ServicesMap") drawn.push(JSON.parse(url.searchParams.get("variables")));
  });
  for (let i = 0; i < 6 && (await page.locator("#map-hint").textContent()) !== ""; i++) {
    await page.locator(".leaflet-control-zoom-in").click();
    await page.waitForTimeout(800);
  }
  await page.waitForFunction(() => document.getElementById("map-hint").textContent === "");
  await page.waitForLoadState("networkidle");
  const asked = drawn.at(-1);
  assert.ok(asked?.filter.near.radiusMeters < 10_000, JSON.stringify(drawn));
  const features = (await ask("ServicesMap", asked)).servicesGeoJson.features;
  assert.ok(features.length > 0 && features.length <= 100, `${features.length} places drawn`);
  const rad = (d) => (d * Math.PI) / 180;
  for (const { geometry } of features) {
    const [lon, lat] = geometry.coordinates;
    const h = Math.sin(rad(lat - asked.filter.near.lat) / 2) ** 2 + Math.cos(rad(lat)) * Math.cos(rad(asked.filter.near.lat)) * Math.sin(rad(lon - asked.filter.near.lon) / 2) ** 2;
    assert.ok(2 * 6_371_008.8 * Math.asin(Math.sqrt(h)) <= asked.filter.near.radiusMeters + 1, "a place outside the view's circle");
  }
  await page.waitForFunction(
    (n) =>
      document.querySelectorAll(".leaflet-marker-icon.pin").length +
        [...document.querySelectorAll(".leaflet-marker-icon.cluster")].reduce((sum, c) => sum + Number(c.textContent), 0) ===
      n,
    features.length,
  );
  assert.ok((await page.locator(".cluster").count()) > 0, "dense markers are not clustered");
  await accessible(page, "map-zoomed");
  await shot(page, "01b-map-zoomed");
  // Back to the whole region for what follows.
  await page.goto(`${base}/?lang=fr`);
  await ready(page);
});

await step("filters by category and bassin, in step with the API's GeoJSON", async () => {
  const page = publicPage;
  await page.locator('#f-categories input[value="mental_health"]').check();
  await page.locator("#f-territory").selectOption("bassin:nord");
  await apply(page);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("territory"), "bassin:nord");
  assert.equal(url.searchParams.get("cat"), "mental_health");
  const expected = await (await fetch(`${base}/geojson/services?territory=bassin:nord&categories=mental_health`)).json();
  const ids = new Set(expected.features.map((f) => f.properties.service));
  assert.ok(ids.size > 0);
  assert.equal(await count(page), ids.size);
  const listed = await page.locator("#results-list li").evaluateAll((items) => items.map((li) => li.dataset.service));
  assert.ok(listed.length > 0);
  for (const id of listed) assert.ok(ids.has(id), `${id} is listed but not in the bassin's mental-health services`);
  // The map shows every place of them (fitted to them): single pins and clusters' counts.
  const shown = await page.evaluate(() =>
    document.querySelectorAll(".leaflet-marker-icon.pin").length +
    [...document.querySelectorAll(".leaflet-marker-icon.cluster")].reduce((sum, c) => sum + Number(c.textContent), 0),
  );
  assert.equal(shown, expected.features.length);
  await accessible(page, "filtered");
  await shot(page, "02-filtered-nord-mental-health");
  // Back to the whole region and forward again, by the browser's buttons.
  const filtered = await count(page);
  await page.goBack();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("territory"));
  await page.waitForFunction((n) => !/…/.test(document.getElementById("results-count").textContent) && !document.getElementById("results-count").textContent.startsWith(`${n} `), filtered);
  assert.equal(await page.locator("#f-territory").inputValue(), "");
  await page.goForward();
  await page.waitForFunction((n) => document.getElementById("results-count").textContent.startsWith(`${n} `), filtered);
  assert.equal(await page.locator("#f-territory").inputValue(), "bassin:nord");
});

await step("an answer that comes after a newer one's is dropped", async () => {
  const page = await open({ path: "/?lang=fr" });
  // The answers for the bassin Sud come late.
  await page.route(
    (url) => url.pathname === "/graphql" && (url.searchParams.get("variables") ?? "").includes("bassin:sud"),
    async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    },
  );
  await page.locator("#f-territory").selectOption("bassin:sud");
  await page.locator("#filters button[type=submit]").click();
  await page.waitForURL((url) => url.searchParams.get("territory") === "bassin:sud");
  await page.locator("#f-territory").selectOption("bassin:nord");
  await apply(page);
  await page.waitForTimeout(2500);
  const expected = await (await fetch(`${base}/geojson/services?territory=bassin:nord`)).json();
  const ids = new Set(expected.features.map((f) => f.properties.service));
  assert.equal(await count(page), ids.size);
  const listed = await page.locator("#results-list li").evaluateAll((items) => items.map((li) => li.dataset.service));
  for (const id of listed) assert.ok(ids.has(id), `${id}: the late answer for Sud replaced Nord's`);
  assert.equal(await page.locator("#error").textContent(), "");
  await page.context().close();
});

await step("the other filters ask the API what they say", async () => {
  const page = await open({ path: "/?lang=fr" });
  await page.locator("#f-authority").selectOption("cocof");
  await page.locator("#f-language").selectOption("fr");
  await page.locator("#f-free").check();
  await page.locator("#f-noref").check();
  await apply(page);
  const url = new URL(page.url());
  for (const [key, value] of [["authority", "cocof"], ["language", "fr"], ["free", "1"], ["noref", "1"]]) assert.equal(url.searchParams.get(key), value);
  const data = await ask("Services", { filter: { authorities: ["cocof"], languages: ["fr"], fees: ["FREE"], referralRequired: false }, first: 1 });
  assert.ok(data.services.totalCount > 0);
  assert.equal(await count(page), data.services.totalCount);
  // Open now: the page asks for the services open at this minute; the API's answer to
  // that very request is what the page counts.
  await page.locator("#f-open").check();
  const asked = page.waitForRequest((r) => new URL(r.url()).searchParams.get("operationName") === "Services");
  await apply(page);
  const variables = JSON.parse(new URL((await asked).url()).searchParams.get("variables"));
  assert.ok(Math.abs(Date.parse(variables.filter.openAt) - Date.now()) < 120_000, JSON.stringify(variables));
  assert.equal(await count(page), (await ask("Services", variables)).services.totalCount);
  await page.context().close();
});

await step("searches in French, best matches first", async () => {
  const page = publicPage;
  await page.locator("#filters button[type=reset]").click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("cat"));
  await ready(page);
  await page.locator("#f-text").fill("santé mentale");
  await apply(page);
  assert.match(await page.locator("#results-count").textContent(), /les plus pertinents d'abord/);
  assert.match(await page.locator("#results-list li .name").first().textContent(), /santé mentale/i);
  await shot(page, "03-search-fr");
});

let sharedUrl;
let annotatedService;
let serviceName;

await step("opens a service from the list by keyboard: names, hours with today, fee, accreditations, contacts", async () => {
  const page = publicPage;
  const first = page.locator("#results-list li .result").first();
  serviceName = (await first.locator(".name").textContent()).trim();
  await first.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#detail:not([hidden]) h2");
  assert.equal((await page.locator("#detail h2").textContent()).trim(), serviceName);
  const terms = await page.locator("#detail dt").allTextContents();
  for (const term of ["Organisation", "Catégories", "Coût", "Orientation préalable"]) {
    assert.ok(terms.includes(term), `${term} missing from ${terms}`);
  }
  const panel = await page.locator("#detail").textContent();
  assert.doesNotMatch(panel, /\[object /);
  // Everything the API says of it is shown: accreditations with their authorities, contacts.
  const id = new URL(page.url()).searchParams.get("service");
  const data = await ask("ServiceDetail", { id, lang: "FR", professional: false });
  assert.ok(data.service.accreditations.length > 0, "pick a first result with accreditations");
  for (const accreditation of data.service.accreditations) assert.ok(panel.includes(accreditation.authority.name), accreditation.authority.name);
  for (const contact of data.service.contacts) assert.ok(panel.includes(contact.value), contact.value);
  for (const site of data.service.sites) assert.ok(panel.includes(site.address), site.address);
  assert.ok(new URL(page.url()).searchParams.get("service"), "the selected service is not in the URL");
  assert.equal(await page.locator("#results-list li.selected").count(), 1);
  // The map shows the selected service's places, marked.
  await page.waitForSelector(".leaflet-marker-icon.pin.selected");
  assert.ok(await page.locator(".leaflet-marker-icon.pin.selected").first().isVisible());
  sharedUrl = page.url();
  await accessible(page, "detail");
  await shot(page, "04-detail");
});

await step("a shared URL opens the same view and service", async () => {
  const page = await open({ path: sharedUrl.slice(base.length), locale: "en-GB" });
  await page.waitForSelector("#detail:not([hidden]) h2");
  assert.equal((await page.locator("#detail h2").textContent()).trim(), serviceName);
  assert.equal(await page.locator("#f-text").inputValue(), "santé mentale");
  // The URL's language wins over the browser's.
  assert.equal(await page.getAttribute("html", "lang"), "fr");
  // Opening hours: when the place gives them, today's row is marked.
  const tables = await page.locator("#detail table.hours").count();
  assert.ok(tables > 0, "pick a first result whose places give hours");
  assert.equal(await page.locator("#detail table.hours tr.today").count(), tables);
  const today = new Intl.DateTimeFormat("fr-BE", { weekday: "long", timeZone: "Europe/Brussels" }).format(new Date());
  assert.match(await page.locator("#detail table.hours tr.today th").first().textContent(), new RegExp(`^${today}`));
  await page.context().close();
});

await step("a map marker opens its service from the keyboard", async () => {
  const page = await open({ path: "/?territory=commune:21004&lang=fr" });
  // Zoomed in on one commune, some markers stand alone.
  await page.waitForSelector(".leaflet-marker-icon.pin");
  const pin = page.locator(".leaflet-marker-icon.pin").first();
  const title = await pin.getAttribute("title");
  await pin.focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("#detail:not([hidden]) h2");
  assert.ok(title.startsWith((await page.locator("#detail h2").textContent()).trim()), `${title}`);
  await page.context().close();
});

await step("switches language, searches in Dutch, and remembers the choice", async () => {
  const page = publicPage;
  await page.locator('button[data-lang="nl"]').click();
  await page.waitForFunction(() => document.documentElement.lang === "nl");
  assert.match(await page.locator("h1").textContent(), /Kaart van de welzijns/);
  await page.locator("#filters button[type=reset]").click();
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("q"));
  await ready(page);
  await page.locator("#f-text").fill("geestelijke gezondheid");
  await apply(page);
  assert.match(await page.locator("#results-count").textContent(), /meest relevante eerst/);
  assert.match(await page.locator("#results-list li .name").first().textContent(), /geestelijke gezondheid/i);
  assert.match(await page.locator("#results-list li .cats").first().textContent(), /geestelijke gezondheid/i);
  await accessible(page, "search-nl");
  await shot(page, "05-search-nl");
  // Back to the bare address: the stored choice beats the browser's French.
  await page.goto(`${base}/`);
  await ready(page);
  assert.equal(await page.getAttribute("html", "lang"), "nl");
  assert.equal(new URL(page.url()).searchParams.get("lang"), "nl");
});

await step("a basin team sees its bassin, its notes, and orients a need", async () => {
  const page = await open({ path: "/?lang=fr" });
  await signIn(page, process.env.TOKEN_BASIN_TEAM);
  assert.match(await page.locator("#viewer").textContent(), /équipe de bassin.*Nord/);
  // Its bassin is drawn highlighted.
  await page.waitForSelector('path[stroke="#0b5394"][stroke-width="4"]');
  const orientLink = page.locator('#views a[data-view="orient"]');
  assert.ok(await orientLink.isVisible());
  await orientLink.click();
  await page.waitForSelector("#o-need");
  await page.locator("#o-need").selectOption("mental_health");
  assert.equal(await page.locator("#o-territory").inputValue(), "bassin:nord");
  await page.locator("#o-language").selectOption("nl");
  await page.locator("#orient button[type=submit]").click();
  await page.waitForSelector("#orient-results > li");
  const first = page.locator("#orient-results > li").first();
  assert.ok((await first.locator(".reasons li").count()) >= 2, "no reasons");
  assert.match(await first.locator(".reasons").textContent(), /langues demandées/);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("view"), "orient");
  assert.equal(url.searchParams.get("need"), "mental_health");
  await accessible(page, "orientation");
  await shot(page, "06-basin-team-orientation");
  // A proposal opens the service with the professional notes section.
  await first.locator("h3 a").click();
  await page.waitForSelector("#detail:not([hidden]) .notes");
  // A note of the team's own, kept private, shows at once and after a reload.
  await page.locator("#note-kind").selectOption("HELPDESK_TIP");
  await page.locator("#note-body").fill("Appeler le matin, accueil néerlandophone le mardi.");
  await page.locator("#note-private").check();
  await page.locator(".note-form button[type=submit]").click();
  await page.waitForFunction(() => /Note ajoutée/.test(document.getElementById("note-status").textContent));
  await page.reload();
  await ready(page);
  await page.waitForSelector("#notes-list li");
  assert.match(await page.locator("#notes-list").textContent(), /conseil helpdesk · bassin:nord · privée — Appeler le matin/);
  await accessible(page, "detail-professional");
  await shot(page, "07-basin-team-detail");
  annotatedService = new URL(page.url()).searchParams.get("service");
  await page.context().close();
});

await step("a zone partner sees its own notes, not a basin team's private one", async () => {
  const page = await open({ path: `/?lang=nl&service=${encodeURIComponent(annotatedService)}` });
  await signIn(page, process.env.TOKEN_ZONE_PARTNER);
  assert.match(await page.locator("#viewer").textContent(), /zonepartner \(BruZEL\)/);
  await page.waitForSelector("#detail:not([hidden]) .notes");
  assert.doesNotMatch(await page.locator("#detail .notes").textContent(), /Appeler le matin/);
  await page.locator("#note-body").fill("Gecontroleerd per telefoon.");
  await page.locator("#note-kind").selectOption("VERIFICATION");
  await page.locator(".note-form button[type=submit]").click();
  await page.waitForFunction(() => /Notitie toegevoegd/.test(document.getElementById("note-status").textContent));
  assert.match(await page.locator("#notes-list").textContent(), /verificatie · zone:bruzel · gedeeld — Gecontroleerd per telefoon/);
  // The orientation view is theirs too; the partner's listings are not.
  assert.ok(await page.locator('#views a[data-view="orient"]').isVisible());
  assert.ok(await page.locator('#views a[data-view="listings"]').isHidden());
  await accessible(page, "zone-partner-detail");
  await shot(page, "08-zone-partner-notes");
  await page.context().close();
});

await step("a partner sees its unpublished listing, edits one, meets a version conflict and a refused field", async () => {
  const token = process.env.TOKEN_PARTNER;
  const page = await open({ path: "/?lang=fr" });
  await signIn(page, token);
  assert.match(await page.locator("#viewer").textContent(), /organisation partenaire/);
  await page.locator('#views a[data-view="listings"]').click();
  await page.waitForSelector("#listings ul.listings li");
  const hidden = page.locator(`#listings li[data-service="${process.env.PARTNER_HIDDEN_SERVICE}"]`);
  assert.match(await hidden.textContent(), /non publié/);
  await accessible(page, "listings");
  // Edit a published one.
  const row = page.locator("#listings ul.listings li").filter({ hasNot: page.locator(".badge") }).first();
  const serviceId = await row.getAttribute("data-service");
  await row.locator("button").click();
  await page.waitForSelector("#edit-form #nameFr");
  const newName = `${await page.locator("#nameFr").inputValue()} – rénové`;
  await page.locator("#nameFr").fill(newName);
  await page.locator("#edit-form button[type=submit]").click();
  await page.waitForFunction(() => /Enregistré/.test(document.getElementById("edit-status").textContent));
  const version = Number((await page.locator("#edit-status").textContent()).match(/version (\d+)/)[1]);
  await shot(page, "09-partner-saved");

  // Someone else changes the listing meanwhile (the page's own mutation, by id).
  const other = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      documentId: documentId("UpdateService"),
      variables: { input: { id: serviceId, version, service: { descriptionFr: `Changé ailleurs (${Date.now()}).` } } },
    }),
  }).then((r) => r.json());
  assert.equal(other.errors, undefined, JSON.stringify(other));
  await page.locator("#descriptionNl").fill(`Bijgewerkt in het formulier (${Date.now()}).`);
  await page.locator("#edit-form button[type=submit]").click();
  await page.waitForSelector("#edit-status.alert [role=alert]", { timeout: 5000 }).catch(async (error) => {
    throw new Error(`${error.message}\nstatus: ${await page.locator("#edit-status").textContent()}`);
  });
  assert.match(await page.locator("#edit-status").textContent(), new RegExp(`modifiée entre-temps \\(version ${version + 1}\\)`));
  await accessible(page, "conflict");
  await shot(page, "10-partner-conflict");

  // Reloaded, a refused field is shown at the field, and nothing is written.
  await page.locator("#edit-status button").click();
  await page.waitForFunction(() => !document.querySelector("#edit-status.alert"));
  await page.locator("#languages").fill("français");
  await page.locator("#descriptionNl").fill("Dit mag niet half bewaard worden.");
  await page.locator("#edit-form button[type=submit]").click();
  await page.waitForSelector('#languages[aria-invalid="true"]');
  assert.match(await page.locator("#languages-error").textContent(), /invalid_language/);
  assert.equal(await page.locator("#descriptionNl").getAttribute("aria-invalid"), null);
  await accessible(page, "invalid");
  await shot(page, "11-partner-invalid");

  // Signed out (the button signs out when signed in), the public page finds the new name.
  assert.equal((await page.locator("#signin-toggle").textContent()).trim(), "Se déconnecter");
  await page.locator("#signin-toggle").click();
  await page.waitForFunction(() => document.getElementById("viewer").textContent === "");
  assert.equal((await page.locator("#signin-toggle").textContent()).trim(), "Se connecter");
  await page.locator("#f-text").fill(newName);
  await apply(page);
  assert.equal((await page.locator("#results-list li .name").first().textContent()).trim(), newName);
  await shot(page, "12-public-sees-the-edit");
  // The refused request wrote nothing: the Dutch description is the one before it.
  const after = await ask("EditableService", { id: serviceId }, token);
  assert.notEqual(after.nl.description, "Dit mag niet half bewaard worden.");
  // The unpublished listing is the partner's (the same search with its token finds it),
  // not the public's.
  const own = (await ask("Services", { filter: { text: "Permanence en préparation" } }, token)).services.edges.map((e) => e.node.id);
  assert.ok(own.includes(process.env.PARTNER_HIDDEN_SERVICE), JSON.stringify(own));
  await page.locator("#f-text").fill("Permanence en préparation");
  await apply(page);
  const listed = await page.locator("#results-list li").evaluateAll((items) => items.map((li) => li.dataset.service));
  assert.ok(!listed.includes(process.env.PARTNER_HIDDEN_SERVICE), JSON.stringify(listed));
  await page.context().close();
});

await step("a refused token is said so, and the page goes on as the public", async () => {
  const page = await open({ path: "/?lang=fr", expectErrors: true });
  await page.locator("#signin-toggle").click();
  await page.locator("#token").fill("not.a.token");
  await page.locator("#signin-form button[type=submit]").click();
  await page.waitForFunction(() => /Jeton refusé/.test(document.getElementById("viewer").textContent));
  assert.equal((await page.locator("#signin-toggle").textContent()).trim(), "Se connecter");
  assert.equal(await page.locator("#token").inputValue(), "");
  // The page went on as the public, without an error.
  assert.equal(await page.locator("#error").textContent(), "");
  assert.ok(await page.locator('#views a[data-view="orient"]').isHidden());
  assert.ok(await page.locator('#views a[data-view="listings"]').isHidden());
  assert.equal(await page.evaluate(() => sessionStorage.getItem("passerelle.token")), null);
  await page.context().close();
});

await step("coverage view: quartiers coloured, a legend with inhabitants, and a table", async () => {
  const page = await open({ path: "/?lang=fr" });
  await page.locator('#views a[data-view="coverage"]').click();
  await page.waitForSelector(".coverage-table tbody tr");
  const rows = await page.locator(".coverage-table tbody tr").count();
  assert.equal(rows, 118, "one row per residential quartier");
  assert.ok(await page.locator("#legend").isVisible());
  assert.equal(await page.locator("#legend li").count(), 4);
  assert.match(await page.locator("#legend").textContent(), /habitants/);
  const coloured = await page.locator(".leaflet-overlay-pane path[fill-opacity='0.85']").count();
  assert.equal(coloured, 118);
  assert.equal(new URL(page.url()).searchParams.get("view"), "coverage");
  await accessible(page, "coverage");
  await shot(page, "13-coverage");
  // A variant: one bassin, services open in the evening.
  await page.locator("#c-area").selectOption("bassin:nord");
  await page.locator("#c-evenings").check();
  await page.locator(".coverage-form button[type=submit]").click();
  await page.waitForURL((url) => url.searchParams.get("area") === "bassin:nord" && url.searchParams.has("evenings"));
  const expected = await (await fetch(`${base}/geojson/coverage?territory=bassin:nord&openEvenings=true`)).json();
  await page.waitForFunction((n) => document.querySelectorAll(".coverage-table tbody tr").length === n, expected.features.length);
  assert.ok(expected.features.length > 0 && expected.features.length < 118);
  const firstRow = expected.features.toSorted((a, b) => b.properties.missingCount - a.properties.missingCount || a.properties.name.localeCompare(b.properties.name, "fr"))[0];
  assert.equal((await page.locator(".coverage-table tbody tr th").first().textContent()).trim(), firstRow.properties.name);
  assert.ok(await page.locator("#c-evenings").isChecked());
  await accessible(page, "coverage-variant");
  await page.context().close();
});

await step("usable on a phone-sized screen", async () => {
  const page = await open({ path: "/?lang=nl", viewport: { width: 390, height: 844 } });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  assert.ok(await page.locator("#map").isVisible());
  await accessible(page, "phone");
  await shot(page, "14-phone");
  await page.context().close();
});

await step("nothing was asked of another host, and the page logged no error", async () => {
  assert.deepEqual([...foreign], []);
  assert.deepEqual(problems, []);
});

await browser.close();
if (failures.length > 0) {
  console.log(`${failures.length} browser test(s) failed: ${failures.join("; ")}`);
  process.exit(1);
}
console.log(`browser tests passed; screenshots in ${artifacts}`);
