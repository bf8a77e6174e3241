/* Cursor position in the province's grid (VN-2000 / TM-3 105°00′, the cadastral maps' metres) and in WGS84. */
(function (M) {
  "use strict";

  var CFG = M.cfg, esc = M.esc, num = M.num;

  M.CoordinatesControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function (map) {
      var div = L.DomUtil.create("div", "mapapp-coords leaflet-bar");
      div.style.display = "none";  // until the cursor is on the map
      var grid = window.proj4 && CFG.grid ? window.proj4("EPSG:4326", CFG.grid.proj4) : null;
      map.on("mousemove", function (ev) {
        var ll = ev.latlng, html = "";
        if (grid) {
          var xy = grid.forward([ll.lng, ll.lat]);
          html += esc(CFG.grid.label) + ": E " + esc(num(xy[0], 1)) + " · N " + esc(num(xy[1], 1)) + "<br>";
        }
        div.innerHTML = html + "WGS84: " + esc(ll.lat.toFixed(6)) + ", " + esc(ll.lng.toFixed(6));
        div.style.display = "";
        div.dataset.lat = ll.lat;
        div.dataset.lng = ll.lng;
        if (grid) { div.dataset.e = xy[0]; div.dataset.n = xy[1]; }
      });
      return div;
    },
  });
})(window.mapapp = window.mapapp || {});
