/* The view in the address bar: centre, zoom, layers shown, legend filters, date and the feature
 * whose popup is open, so a copied link shows what its sender saw (and /print prints it).
 *
 *   ?c=9.9512,105.8021&z=14&layers=zones,lots&hide=lots.leased,lots.reserved&at=2018-06-30&focus=lots:SH-A01 */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state;
  var KEYS = ["c", "z", "layers", "hide", "at", "focus"];
  var restoring = true;  // nothing is written back before the link's own view is in place
  var focused = null;

  function params() { return new URLSearchParams(window.location.search); }

  /* What the link asks for: {center, zoom, layers, hide, focus}; missing parts are null. */
  function read() {
    var q = params(), out = { center: null, zoom: null, layers: null, hide: {}, focus: q.get("focus") };
    var c = (q.get("c") || "").split(",").map(Number);
    var z = Number(q.get("z"));
    if (c.length === 2 && c.every(isFinite) && Math.abs(c[0]) <= 90 && Math.abs(c[1]) <= 180 && q.get("z") && isFinite(z)) {
      out.center = L.latLng(c[0], c[1]);
      out.zoom = Math.max(0, Math.min(19, z));
    }
    if (q.has("layers")) out.layers = q.get("layers").split(",").filter(Boolean);
    (q.get("hide") || "").split(",").filter(Boolean).forEach(function (item) {
      var dot = item.indexOf(".");
      if (dot < 1) return;
      var layer = item.slice(0, dot);
      out.hide[layer] = out.hide[layer] || {};
      out.hide[layer][item.slice(dot + 1)] = true;
    });
    return out;
  }

  /* The current view as query parameters (the page's other parameters, e.g. lang, are kept). */
  function current() {
    var map = M.map, q = params();
    KEYS.forEach(function (k) { q.delete(k); });
    var c = map.getCenter();
    q.set("c", c.lat.toFixed(5) + "," + c.lng.toFixed(5));
    q.set("z", String(map.getZoom()));
    q.set("layers", M.ORDER.filter(function (n) { return state.layers[n] && map.hasLayer(state.layers[n]); }).join(","));
    var hide = [];
    Object.keys(M.hidden).forEach(function (layer) {
      Object.keys(M.hidden[layer]).forEach(function (value) { if (M.hidden[layer][value]) hide.push(layer + "." + value); });
    });
    if (hide.length) q.set("hide", hide.join(","));
    if (CFG.at && CFG.at !== CFG.data_end) q.set("at", CFG.at);
    if (focused) q.set("focus", focused);
    return q;
  }

  function save() {
    if (restoring || !M.map) return;
    var query = current().toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    document.querySelectorAll("a.mapapp-keeps-view").forEach(function (a) {
      a.href = a.dataset.path + "?" + query;
    });
  }

  /* Before the layers are fetched: legend filters and the layers switched off. */
  function applyEarly(map) {
    var want = read();
    Object.keys(want.hide).forEach(function (layer) { M.hidden[layer] = want.hide[layer]; });
    if (want.layers) {
      Object.keys(state.layers).forEach(function (name) {
        if (want.layers.indexOf(name) < 0 && map.hasLayer(state.layers[name])) map.removeLayer(state.layers[name]);
      });
    }
    focused = want.focus;
  }

  /* Once the layers are drawn: the link's view (true), or false when it names none. */
  function applyView(map) {
    var want = read();
    if (!want.center) return false;
    map.setView(want.center, want.zoom, { animate: false });
    return true;
  }

  function start(map) {
    if (CFG.print) return;  // the print view only reads the link
    restoring = false;
    map.on("moveend overlayadd overlayremove", save);
    map.on("popupopen", function (ev) {
      var src = ev.popup._source;
      if (src && src.feature && src._mapappLayer) focused = src._mapappLayer + ":" + src.feature.properties.code;
      save();
    });
    map.on("popupclose", function () { focused = null; save(); });
    save();
  }

  M.viewstate = { read: read, current: current, save: save, applyEarly: applyEarly, applyView: applyView, start: start };
})(window.mapapp = window.mapapp || {});
