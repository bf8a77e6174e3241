/* Keyboard and language of the controls Leaflet and its plugins draw themselves.
 *
 * Keyboard: the map is one Tab stop (its container; arrows pan, +/- zoom). Chromium makes every SVG
 * path a Tab stop, so the features are taken out of the Tab order: they are reached through search,
 * the lists and the popups' links instead.
 * Language: the zoom buttons' titles and the measuring tool (built in English only) are written in
 * the page's language from the catalogue (keys "leaflet.*" and "measure.*"). */
(function (M) {
  "use strict";

  var t = M.t;

  function untabbable(layer) {
    var el = layer.getElement && layer.getElement();
    if (el && el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
  }

  /* The measuring tool's English strings and the page's words for them. */
  var MEASURE = {
    "Measure": "measure.measure",
    "Measure distances and areas": "measure.title",
    "Create a new measurement": "measure.create",
    "Start creating a measurement by adding points to the map": "measure.start",
    "Finish measurement": "measure.finish",
    "Last point": "measure.last_point",
    "Area": "measure.area",
    "Perimeter": "measure.perimeter",
    "Point location": "measure.point",
    "Area measurement": "measure.area_measurement",
    "Linear measurement": "measure.linear_measurement",
    "Path distance": "measure.path",
    "Center on this area": "measure.center_area",
    "Center on this line": "measure.center_line",
    "Center on this location": "measure.center_point",
    "Cancel": "measure.cancel",
    "Delete": "measure.delete",
    "Meters": "measure.meters",
    "Kilometers": "measure.kilometers",
    "Hectares": "measure.hectares",
    "Sq Meters": "measure.sqmeters",
  };
  var UNIT = /\b(Sq Meters|Meters|Kilometers|Hectares)\b/g;

  function say(english) { return MEASURE[english] ? t(MEASURE[english]) : english; }

  function translateTree(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), node, todo = [];
    while ((node = walker.nextNode())) todo.push(node);
    todo.forEach(function (n) {
      var text = n.nodeValue, trimmed = text.trim();
      if (!trimmed) return;
      var out = MEASURE[trimmed] ? text.replace(trimmed, say(trimmed)) : text.replace(UNIT, function (u) { return say(u); });
      if (out !== text) n.nodeValue = out;
    });
    root.querySelectorAll("[title]").forEach(function (el) {
      var title = el.getAttribute("title");
      if (MEASURE[title]) el.setAttribute("title", say(title));
    });
  }

  function measureControl(map) {
    var el = map.getContainer().querySelector(".leaflet-control-measure");
    if (!el) return;
    var toggle = el.querySelector(".leaflet-control-measure-toggle");
    if (toggle) toggle.setAttribute("aria-label", t("measure.title"));
    translateTree(el);
    new MutationObserver(function () { translateTree(el); }).observe(el, { childList: true, subtree: true });
  }

  M.access = function (map) {
    map.eachLayer(untabbable);
    map.on("layeradd", function (ev) { untabbable(ev.layer); });
    if (map.zoomControl) {
      [[map.zoomControl._zoomInButton, "leaflet.zoom_in"], [map.zoomControl._zoomOutButton, "leaflet.zoom_out"]].forEach(function (pair) {
        pair[0].title = t(pair[1]);
        pair[0].setAttribute("aria-label", t(pair[1]));
      });
    }
    var layers = map.getContainer().querySelector(".leaflet-control-layers");
    if (layers) {
      layers.setAttribute("aria-label", t("ui.layers"));
      var toggle = layers.querySelector(".leaflet-control-layers-toggle");
      if (toggle) { toggle.title = t("ui.layers"); toggle.setAttribute("aria-label", t("ui.layers")); }
    }
    measureControl(map);
    map.on("popupopen", function (ev) {
      var el = ev.popup.getElement();
      if (el && el.querySelector(".tasks")) translateTree(el);  // the measuring tool's own popups
      var close = el && el.querySelector(".leaflet-popup-close-button");
      if (close) { close.title = t("ui.close"); close.setAttribute("aria-label", t("ui.close")); }
    });
  };
})(window.mapapp = window.mapapp || {});
