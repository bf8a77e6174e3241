/* Base-map tiles that cannot load (a closed intranet): fall back to the plain background and say so. */
(function (M) {
  "use strict";

  var state = M.state, t = M.t;
  var blankBase = null;

  /* Called by the folium element of the plain (tile-less) base layer. */
  function setBlankBase(layer) { blankBase = layer; }

  function watchTiles(layer) {
    if (layer._mapappWatched) return;
    layer._mapappWatched = true;
    var loaded = 0, failed = 0;
    layer.on("tileload", function () { loaded++; });
    layer.on("tileerror", function () {
      var map = M.map;
      failed++;
      if (loaded === 0 && failed === 4 && blankBase && map.hasLayer(layer)) {
        map.removeLayer(layer);
        map.addLayer(blankBase);
        state.notices.push(t("ui.tiles_offline"));
        M.status.update();
      }
    });
  }

  M.setBlankBase = setBlankBase;
  M.watchTiles = watchTiles;
})(window.mapapp = window.mapapp || {});
