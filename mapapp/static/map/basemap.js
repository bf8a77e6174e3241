/* The plain background (river, roads, communes, places from the project's own file) and base-map tiles
 * that cannot load (a closed intranet): fall back to the plain background and say so. */
(function (M) {
  "use strict";

  var state = M.state, t = M.t;
  var blankBase = null;

  var BG_STYLE = {
    river: { color: "#6baed6", weight: 1, fillColor: "#c6dbef", fillOpacity: 0.9 },
    commune: { color: "#8c8c8c", weight: 1, dashArray: "2 4", fill: false },
    road: { color: "#d95f0e", weight: 3, opacity: 0.8 },
  };

  /* The plain background's own features (river, national roads, communes, place names), from the
   * project's data/geo/background.geojson: drawn under the overlays, never clickable. */
  function drawBackground(layer) {
    var map = M.map;
    if (layer._mapappDrawn || !map) return;
    layer._mapappDrawn = true;
    if (!map.getPane("mapapp-background")) map.createPane("mapapp-background").style.zIndex = 250;
    fetch("/background.geojson").then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      L.geoJSON(data, {
        pane: "mapapp-background",
        interactive: false,
        style: function (f) { return BG_STYLE[f.properties.kind] || {}; },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { pane: "mapapp-background", radius: f.properties.place === "city" ? 4 : 3, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false });
        },
        onEachFeature: function (f, lyr) {
          var p = f.properties, name = M.cfg.lang === "en" && p.name_en ? p.name_en : p.name;
          var options = { permanent: true, direction: p.kind === "place" ? "right" : "center", offset: p.kind === "place" ? [6, 0] : [0, 0],
                          className: "mapapp-bg-label mapapp-bg-" + p.kind, interactive: false };
          if (p.kind !== "road") { lyr.bindTooltip(M.esc(name), options); return; }
          // a road's number at three places along it: where one meets a zone's label, another still shows
          var points = lyr.getLatLngs();
          [0.2, 0.5, 0.8].forEach(function (share) {
            var at = points[Math.min(points.length - 1, Math.round(share * (points.length - 1)))];
            layer.addLayer(L.tooltip(options).setLatLng(at).setContent(M.esc(p.code)));
          });
        },
      }).addTo(layer);
      document.body.dataset.background = String(data.features.length);
      if (M.placeLabels) M.placeLabels();
    }).catch(function (err) {
      state.errors.push(t("ui.load_failed") + " background (" + err.message + ")");
      if (M.status) M.status.update();
    });
  }

  /* Called by the folium element of the plain (tile-less) base layer. */
  function setBlankBase(layer) {
    blankBase = layer;
    layer.on("add", function () { drawBackground(layer); });
    if (M.map && M.map.hasLayer(layer)) drawBackground(layer);
  }

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
  /* Once the map exists (the plain base may have been added before it was handed over). */
  M.drawBackgroundIfShown = function () { if (blankBase && M.map.hasLayer(blankBase)) drawBackground(blankBase); };
  M.watchTiles = watchTiles;
})(window.mapapp = window.mapapp || {});
