/* "Show all on map": ?show=LAYER:CODE,CODE,… frames every listed feature and outlines each of them. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t;

  function parse(text) {
    var colon = (text || "").indexOf(":");
    if (colon < 1) return null;
    var codes = text.slice(colon + 1).split(",").map(function (c) { return c.trim(); }).filter(Boolean);
    return codes.length ? { layer: text.slice(0, colon), codes: codes } : null;
  }

  /* Outline the features, fit the map to them; returns how many were found. */
  function showAll(layer, codes) {
    var map = M.map, group = state.layers[layer];
    if (!group) return 0;
    if (!map.hasLayer(group)) map.addLayer(group);
    if (M.hidden[layer]) { M.hidden[layer] = {}; M.redraw(layer); if (M.legend) M.legend.update(); }
    var wanted = {}, found = [];
    codes.forEach(function (c) { wanted[c] = true; });
    group.eachLayer(function (lyr) {
      var p = lyr.feature && lyr.feature.properties;
      if (p && wanted[String(p.code !== undefined ? p.code : lyr.feature.id)]) {
        if (lyr.setStyle) lyr.setStyle({ color: "#00e5ff", weight: 4, dashArray: null });
        if (lyr.bringToFront) lyr.bringToFront();
        found.push(lyr);
      }
    });
    if (found.length) map.fitBounds(L.featureGroup(found).getBounds(), { padding: [30, 30], maxZoom: 17 });
    var missing = codes.length - found.length;
    if (missing) { state.errors.push(t("show.missing").replace("{n}", missing)); M.status.update(); }
    document.body.dataset.shown = String(found.length);
    return found.length;
  }

  M.showFromConfig = function () {
    var want = parse(CFG.show);
    return want ? showAll(want.layer, want.codes) > 0 : false;
  };
  M.showAll = showAll;
})(window.mapapp = window.mapapp || {});
