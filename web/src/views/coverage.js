// The coverage view: residential quartiers coloured by how many categories of the basic
// offer are out of their inhabitants' reach (GET /geojson/coverage), a legend with the
// inhabitants of each class, and the same as a table for screen readers.
import { geojson } from "../api.js";
import { clear, h } from "../dom.js";
import { COVERAGE_COLOURS, coverageClass } from "../map.js";

const cache = new Map();

function classLabel(app, index) {
  const last = COVERAGE_COLOURS.length - 1;
  if (index === 0) return app.t("none");
  return index === last ? `${index}+` : String(index);
}

export async function renderCoverage(app, section, legend) {
  const territory = "region:bru";
  const key = `${territory}|${app.lang}|${app.token ?? ""}`;
  if (!cache.has(key)) cache.set(key, await geojson("/geojson/coverage", { territory, lang: app.lang }));
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
          h("span", { class: "swatch", style: `background:${COVERAGE_COLOURS[index]}`, "aria-hidden": "true" }),
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
  clear(section).append(
    h("h2", { id: "coverage-title" }, app.t("coverageTitle")),
    h("p", {}, app.t("coverageIntro")),
    h("p", { class: "summary" }, `${app.t("populationWithout")}: ${number.format(without)}`),
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
}
