// The choices the page's forms share: territories (the whole Region, bassins, communes)
// and the languages a service can be received in.
import { h } from "./dom.js";

/** Languages asked for most in Brussels, each named in itself. */
const SPOKEN = [
  ["fr", "français"],
  ["nl", "Nederlands"],
  ["en", "English"],
  ["de", "Deutsch"],
  ["ar", "العربية"],
  ["tr", "Türkçe"],
  ["es", "español"],
];

/** "The whole Region" (with the value `any`), then the bassins and communes. */
export function territoryOptions(app, any, selected) {
  const { bassins, communes } = app.reference;
  const option = (territory) => h("option", { value: territory.code, selected: territory.code === selected || undefined }, territory.name);
  return [
    h("option", { value: any }, app.t("anyTerritory")),
    h("optgroup", { label: app.t("bassins") }, ...bassins.map(option)),
    h("optgroup", { label: app.t("communes") }, ...communes.map(option)),
  ];
}

/** "Any language", then the languages. */
export function languageOptions(app, selected) {
  return [
    h("option", { value: "" }, app.t("anyLanguage")),
    ...SPOKEN.map(([code, name]) => h("option", { value: code, lang: code, selected: code === selected || undefined }, name)),
  ];
}
