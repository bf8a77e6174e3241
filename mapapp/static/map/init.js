/* Wiring, once per page: the first API layer hands over the Leaflet map, which gets the controls and events. */
(function (M) {
  "use strict";

  var CFG = M.cfg;

  M.init = function (leafletMap) {
    var map = M.map = leafletMap;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) M.watchTiles(layer); });
    map.on("baselayerchange", function (ev) { if (ev.layer instanceof L.TileLayer) M.watchTiles(ev.layer); });
    M.addHatchPattern();
    M.status = new M.StatusControl();
    M.status.addTo(map);
    new M.SearchControl().addTo(map);
    M.legend = new M.LegendControl();
    M.legend.addTo(map);
    new M.CoordinatesControl().addTo(map);
    if (CFG.at) new M.DateControl().addTo(map);
    setTimeout(M.compact, 0);  // after this script has added the layer switcher
    var labelZoom = function () {
      map.getContainer().classList.toggle("mapapp-labels-hidden", map.getZoom() < 11);
    };
    map.on("zoomend", labelZoom);
    labelZoom();
    map.on("moveend", M.refreshWindows);
    map.on("overlayadd overlayremove", function () { M.refreshWindows(); M.status.update(); });
    if (M.edit) M.edit.attach(map);  // staff only: edit controls in popups
    map.on("popupopen", function (ev) {
      ev.popup.getElement().querySelectorAll("a.mapapp-focus").forEach(function (a) {
        a.addEventListener("click", function (e) {
          e.preventDefault();
          map.closePopup();
          M.focus(a.dataset.layer, a.dataset.code);
        });
      });
    });
  };
})(window.mapapp = window.mapapp || {});
