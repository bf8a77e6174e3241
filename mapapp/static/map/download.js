/* The map's download button: each layer as a file (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV, Excel).
 * The server decides what the reader may get: the public copy holds no personal data. */
(function (M) {
  "use strict";

  var t = M.t, esc = M.esc;
  var LAYERS = ["zones", "lots", "clearance", "projects", "boundaries"];
  var FORMATS = [["geojson", "GeoJSON"], ["gpkg", "GeoPackage"], ["shp", "Shapefile"], ["kml", "KML"], ["csv", "CSV"], ["xlsx", "Excel"]];

  M.DownloadControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var div = L.DomUtil.create("div", "leaflet-bar mapapp-download");
      var button = L.DomUtil.create("a", "mapapp-download-toggle", div);
      button.href = "#";
      button.title = t("download.title");
      button.setAttribute("aria-label", t("download.title"));
      button.setAttribute("role", "button");
      button.setAttribute("aria-expanded", "false");
      button.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M11 3h2v10l3.5-3.5 1.4 1.4L12 16.8l-5.9-5.9 1.4-1.4L11 13zM4 18h16v2H4z"/></svg>';
      var panel = L.DomUtil.create("div", "mapapp-download-panel", div);
      panel.hidden = true;
      panel.innerHTML = LAYERS.map(function (layer) {
        return '<div class="mapapp-download-layer" data-layer="' + esc(layer) + '"><b>' + esc(t("layer." + layer)) + "</b> " +
          FORMATS.map(function (f) {
            return '<a class="download-link" data-format="' + f[0] + '" href="/api/layers/' + esc(layer) + "/download?format=" + f[0] + '">' + esc(f[1]) + "</a>";
          }).join(" · ") + "</div>";
      }).join("") + '<p class="download-note">' + esc(t(document.body.dataset.role ? "download.staff" : "download.public")) + "</p>";
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      L.DomEvent.on(button, "click", function (ev) {
        L.DomEvent.preventDefault(ev);
        panel.hidden = !panel.hidden;
        button.setAttribute("aria-expanded", String(!panel.hidden));
      });
      return div;
    },
  });
})(window.mapapp = window.mapapp || {});
