/* Zone labels that never pile up: below zoom 10 none; above, the biggest zones' labels first and any
 * label that would overlap one already shown, or a control, is hidden until zooming in frees room. */
(function (M) {
  "use strict";

  var MIN_ZOOM = 10;

  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }

  function controlBoxes(map) {
    var boxes = [];
    map.getContainer().querySelectorAll(".leaflet-control").forEach(function (c) {
      if (c.offsetParent !== null) boxes.push(c.getBoundingClientRect());
    });
    var slot = document.querySelector(".mapapp-search-slot");
    if (slot) boxes.push(slot.getBoundingClientRect());
    return boxes;
  }

  function place() {
    var map = M.map, layer = M.state.layers.zones;
    if (!map || !layer) return;
    var hideAll = map.getZoom() < MIN_ZOOM || !map.hasLayer(layer);
    map.getContainer().classList.toggle("mapapp-labels-hidden", hideAll);
    var zones = hideAll ? [] : layer.getLayers().filter(function (l) { return l.getTooltip() && l.getTooltip().getElement(); });
    zones.sort(function (a, b) { return (b.feature.properties.area_ha || 0) - (a.feature.properties.area_ha || 0); });
    var taken = controlBoxes(map);
    zones.forEach(function (l) {
      var el = l.getTooltip().getElement();
      el.classList.remove("mapapp-label-hidden");
      var box = el.getBoundingClientRect();
      var clash = taken.some(function (other) { return overlaps(box, other); });
      el.classList.toggle("mapapp-label-hidden", clash);
      if (!clash) taken.push(box);
    });
    // The background's names (places, roads, river, communes) give way to the zones' labels and to each other.
    map.getContainer().querySelectorAll(".mapapp-bg-label").forEach(function (el) {
      el.classList.remove("mapapp-label-hidden");
      var box = el.getBoundingClientRect();
      var clash = taken.some(function (other) { return overlaps(box, other); });
      el.classList.toggle("mapapp-label-hidden", clash);
      if (!clash) taken.push(box);
    });
  }

  M.placeLabels = place;
})(window.mapapp = window.mapapp || {});
