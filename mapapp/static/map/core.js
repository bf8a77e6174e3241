/* mapapp: layers fetched from the API in the browser, styled from one table,
 * with popups built from escaped text only (user text is data, never markup).
 *
 * The map's code is split into plain scripts loaded in order (this one first), each adding to
 * the one namespace `window.mapapp`. Functions of other files are looked up on it when called,
 * so only this file's names may be used while a script loads. */
(function (M) {
  "use strict";

  var CFG = window.MAPAPP_CONFIG || {};
  var T = CFG.i18n || {};

  function t(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }

  function esc(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`=\/]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;", "=": "&#61;", "/": "&#47;" }[c];
    });
  }

  var locale = CFG.lang === "en" ? "en-GB" : "vi-VN";
  function num(v, digits) {
    if (v === null || v === undefined || v === "" || isNaN(v)) return "—";
    return Number(v).toLocaleString(locale, { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function vnd(v) {
    if (v === null || v === undefined) return "—";
    if (Math.abs(v) >= 1e9) return num(v / 1e9, 2) + (CFG.lang === "en" ? " bn VND" : " tỷ đồng");
    if (Math.abs(v) >= 1e6) return num(v / 1e6, 1) + (CFG.lang === "en" ? " m VND" : " triệu đồng");
    return num(v, 0) + " đ";
  }
  function label(prefix, value) { return value ? t(prefix + "." + value) : "—"; }
  function withLang(url) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "lang=" + encodeURIComponent(CFG.lang || "vi");
  }

  /* A data value (district, unit, developer) in the page's language where a translation is known. */
  function term(value) {
    if (value === null || value === undefined || value === "") return "—";
    var terms = CFG.terms || {};
    return Object.prototype.hasOwnProperty.call(terms, value) ? terms[value] : String(value);
  }
  /* A feature's name in the page's language from its loaded layer (name_en in English); null when not loaded. */
  function featureName(layer, code) {
    var data = M.state.data[layer], found = null;
    if (data) data.features.forEach(function (f) { if (f.properties.code === code) found = f.properties; });
    if (!found || !found.name) return null;
    return CFG.lang === "en" && found.name_en ? found.name_en : found.name;
  }
  /* A zone's name in the page's language (its code until the zones are loaded). */
  function zoneName(code) { return featureName("zones", code) || code; }

  M.cfg = CFG;
  // The tests read this object (layers, data, loaded, pending, errors, notices…): keep its shape.
  M.state = { layers: {}, data: {}, loaded: {}, pending: {}, errors: [], notices: [], ready: false,
              seq: {}, window: {}, tooFar: {}, idle: [] };
  M.ORDER = ["boundaries", "zones", "clearance", "lots", "projects", "conflicts"];
  M.t = t;
  M.esc = esc;
  M.num = num;
  M.vnd = vnd;
  M.label = label;
  M.withLang = withLang;
  M.term = term;
  M.district = term;
  M.unit = term;
  M.zoneName = zoneName;
  M.featureName = featureName;
})(window.mapapp = window.mapapp || {});
