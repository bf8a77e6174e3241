/* Wiring, once per page: the first API layer hands over the Leaflet map, which gets the controls and events. */
(function (M) {
  "use strict";

  var CFG = M.cfg;

  function wirePopups(map) {
    // First: room for the popup in the free area, then it pans into view (Leaflet's autoPan).
    map.on("popupopen", function (ev) {
      if (ev.popup._source && ev.popup._source.feature) { M.fitPopup(ev.popup); ev.popup.update(); }
    });
    map.on("popupopen", function (ev) {
      M.fillLotIssues(ev.popup.getElement()).then(function (filled) {
        if (filled.length && ev.popup.isOpen()) ev.popup.update();  // now drawn from the cache, at its full size
      });
    });
    // One listener for every popup's links to other features (popups are redrawn, links come and go).
    map.getContainer().addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest(".leaflet-popup a.mapapp-focus");
      if (!a) return;
      e.preventDefault();
      map.closePopup();
      M.focus(a.dataset.layer, a.dataset.code);
    });
  }

  M.init = function (leafletMap) {
    var map = M.map = leafletMap;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) M.watchTiles(layer); });
    map.on("baselayerchange", function (ev) { if (ev.layer instanceof L.TileLayer) M.watchTiles(ev.layer); });
    M.addHatchPattern();
    M.drawBackgroundIfShown();
    if (CFG.print) {
      L.control.scale({ imperial: false, metric: true, maxWidth: 160, position: "bottomleft" }).addTo(map);
      setTimeout(function () { M.viewstate.applyEarly(map); M.access(map); }, 0);
      M.status = { update: function () {} };
      wirePopups(map);
      return;
    }
    M.status = new M.StatusControl();
    M.status.addTo(map);
    var search = new M.SearchControl();
    search.addTo(map);
    var slot = document.querySelector(".mapapp-search-slot");
    if (slot) {
      slot.appendChild(search.getContainer());  // first on the page: few Tab presses to reach it
      var placeSlot = function () { slot.style.top = (map.getContainer().getBoundingClientRect().top + window.scrollY + 10) + "px"; };
      placeSlot();
      map.on("resize", placeSlot);
      window.addEventListener("resize", placeSlot);
      // Full screen shows the map's own box only: the search box goes in with it, and back out after.
      map.on("enterFullscreen", function () {
        var corner = map.getContainer().querySelector(".leaflet-top.leaflet-left");
        corner.insertBefore(search.getContainer(), corner.firstChild);
      });
      map.on("exitFullscreen", function () { slot.appendChild(search.getContainer()); placeSlot(); });
    }
    M.legend = new M.LegendControl();
    M.legend.addTo(map);
    new M.CoordinatesControl().addTo(map);
    L.control.scale({ imperial: false, metric: true, maxWidth: 140 }).addTo(map);
    if (CFG.at) new M.DateControl().addTo(map);
    new M.PrintControl().addTo(map);
    new M.DownloadControl().addTo(map);
    map.on("resize", function () { M.legend.fit(); });
    setTimeout(function () {  // after this script has added the layer switcher and the other layers
      M.viewstate.applyEarly(map);
      M.compact();
      M.access(map);
      M.legend.update();
    }, 0);
    map.on("zoomend moveend overlayadd overlayremove resize", M.placeLabels);
    map.on("moveend", M.refreshWindows);
    map.on("overlayadd overlayremove", function () { M.refreshWindows(); M.status.update(); });
    if (M.edit) M.edit.attach(map);  // staff only: edit controls in popups
    wirePopups(map);
  };
})(window.mapapp = window.mapapp || {});
