/* Popups in the free part of the map, never under a control: either the band between the top and
 * bottom controls (phones) or the column between the left and right ones (desktops), whichever
 * holds the popup, measured from the controls as they are drawn now (folded or not). */
(function (M) {
  "use strict";

  var MARGIN = 8, MIN_WIDTH = 240;

  function visibleControls(map) {
    var out = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
      if (c.offsetParent !== null && c.offsetWidth && c.offsetHeight) out.push(c.getBoundingClientRect());
    });
    var slot = document.querySelector(".mapapp-search-slot");
    if (slot && slot.offsetHeight) out.push(slot.getBoundingClientRect());
    return out;
  }

  /* The free rectangle, in pixels from the map's edges: {top, bottom, left, right, width, height}. */
  function freeArea(map) {
    var box = map.getContainer().getBoundingClientRect();
    var mid = box.top + box.height / 2, centre = box.left + box.width / 2;
    var top = 0, bottom = 0, left = 0, right = 0;
    visibleControls(map).forEach(function (r) {
      if (r.top < mid) top = Math.max(top, r.bottom - box.top); else bottom = Math.max(bottom, box.bottom - r.top);
      if (r.left < centre) left = Math.max(left, r.right - box.left); else right = Math.max(right, box.right - r.left);
    });
    var band = { top: top, bottom: bottom, left: 0, right: 0 };
    var column = { top: 0, bottom: 0, left: left, right: right };
    [band, column].forEach(function (a) {
      a.width = box.width - a.left - a.right - 2 * MARGIN;
      a.height = box.height - a.top - a.bottom - 2 * MARGIN;
    });
    var columnFits = column.width >= MIN_WIDTH + 40;
    return columnFits && column.height * Math.min(column.width, 380) >= band.height * Math.min(band.width, 380) ? column : band;
  }

  /* Before the popup pans the map into view: room and padding from the free area. */
  function fit(popup) {
    var map = M.map, area = freeArea(map);
    var o = popup.options;
    o.autoPanPaddingTopLeft = L.point(area.left + MARGIN, area.top + MARGIN);
    o.autoPanPaddingBottomRight = L.point(area.right + MARGIN, area.bottom + MARGIN);
    o.maxWidth = Math.max(200, Math.min(360, area.width - 40));
    o.minWidth = Math.min(240, o.maxWidth);
    o.maxHeight = Math.max(120, area.height - 50);
    o.autoPan = true;
    o.keepInView = false;
    return area;
  }

  M.freeArea = freeArea;
  M.fitPopup = fit;
})(window.mapapp = window.mapapp || {});
