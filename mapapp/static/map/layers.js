/* The API layers: fetched after the page loads (whole, or for the view only when large),
 * styled from the config's table, and redrawn when the legend hides some values. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, withLang = M.withLang;

  /* The value a feature is coloured by; a parcel with no step yet has none ("none"). */
  M.styleValue = function (layer, p) {
    var v = p[CFG.styles[layer].by];
    return v === null || v === undefined ? "none" : v;
  };

  function styleFor(layer) {
    var s = CFG.styles[layer];
    return function (feature) {
      var value = M.styleValue(layer, feature.properties);
      var color = s.colors[value] || "#555";
      var weight = typeof s.weight === "object" ? (s.weight[value] || 1) : s.weight;
      var dash = s.dash ? s.dash[value] || null : null;
      var overdue = s.overdue_color && feature.properties.overdue;  // a step past its legal deadline
      return { color: overdue ? s.overdue_color : color, weight: overdue ? 3 : weight, fillColor: color, fillOpacity: s.fill_opacity,
               dashArray: dash, className: "mapapp-" + layer + (s.hatched ? " mapapp-hatched-" + value : "") + (overdue ? " mapapp-overdue" : "") };
    };
  }

  /* Values the legend has switched off, per layer: hidden[layer][value] === true. */
  var hidden = {};

  function visible(layer) {
    return function (feature) {
      return !(hidden[layer] && hidden[layer][M.styleValue(layer, feature.properties)]);
    };
  }

  function redraw(name) {
    if (M.tiled(name)) { M.refreshTiles(name, true); return; }
    var layer = state.layers[name];
    if (!layer || !state.data[name]) return;
    layer.clearLayers();
    layer.addData(state.data[name]);
  }

  function layerUrl(name) {
    var def = CFG.layers[name];
    var url = def.url;
    if (def.dated && CFG.at) url += (url.indexOf("?") >= 0 ? "&" : "?") + "at=" + encodeURIComponent(CFG.at);
    return withLang(url);
  }

  /* A layer too large to send whole is fetched for the view only, once zoomed in far enough. */
  function windowed(name) {
    var def = CFG.layers[name];
    return def.count > CFG.max_features && !M.tiled(name);
  }

  function windowUrl(name) {
    var w = state.window[name];
    if (!w) return layerUrl(name);
    var bbox = [w.getWest(), w.getSouth(), w.getEast(), w.getNorth()].map(function (v) { return v.toFixed(6); }).join(",");
    return layerUrl(name) + "&bbox=" + bbox;
  }

  function load(name) {
    var map = M.map;
    if (M.tiled(name)) {  // drawn from tiles (tiles.js): nothing to fetch whole
      M.refreshTiles(name);
      if (!Object.keys(state.pending).length) M.onAllLoaded();
      return Promise.resolve();
    }
    var seq = state.seq[name] = (state.seq[name] || 0) + 1;
    if (windowed(name)) {
      if (map.getZoom() < CFG.window_zoom) {
        state.window[name] = null;
        state.tooFar[name] = true;
        state.data[name] = { type: "FeatureCollection", features: [] };
        state.loaded[name] = 0;
        delete state.pending[name];
        redraw(name);
        if (M.legend) M.legend.update();
        M.status.update();
        if (!Object.keys(state.pending).length) M.onAllLoaded();
        return Promise.resolve();
      }
      delete state.tooFar[name];
      state.window[name] = map.getBounds().pad(0.3);
    }
    state.pending[name] = true;
    M.status.update();
    return fetch(windowUrl(name)).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (seq !== state.seq[name]) return;  // a newer request for this layer has been sent
      state.data[name] = data;
      redraw(name);
      state.loaded[name] = data.features.length;
      if (M.legend) M.legend.update();
    }).catch(function (err) {
      state.errors.push(t("ui.load_failed") + " " + t("layer." + name) + " (" + err.message + "). " + t("ui.retry"));
    }).then(function () {
      if (seq !== state.seq[name]) return;
      delete state.pending[name];
      M.status.update();
      if (!Object.keys(state.pending).length) M.onAllLoaded();
    });
  }

  function drainIdle() {
    if (Object.keys(state.pending).length) return;
    var waiting = state.idle;
    state.idle = [];
    waiting.forEach(function (fn) { fn(); });
  }

  function refreshWindows() {
    var map = M.map;
    Object.keys(state.layers).forEach(function (name) {
      if (!windowed(name) || !map.hasLayer(state.layers[name])) return;
      var w = state.window[name];
      if (map.getZoom() < CFG.window_zoom) {
        if (!state.tooFar[name]) load(name);
      } else if (!w || !w.contains(map.getBounds())) {
        load(name);
      }
    });
  }

  /* Run fn once nothing is loading (after a move has started fetching the view's features). */
  function whenIdle(fn) {
    if (!Object.keys(state.pending).length) { fn(); return; }
    state.idle.push(fn);
  }

  /* The first `metres` of a polyline, walked with Leaflet's great-circle distance. */
  function leadingPart(latlngs, metres) {
    var out = [latlngs[0]], left = metres;
    for (var i = 1; i < latlngs.length && left > 0; i++) {
      var a = latlngs[i - 1], b = latlngs[i], d = a.distanceTo(b);
      if (d <= left) { out.push(b); left -= d; continue; }
      var f = left / d;
      out.push(L.latLng(a.lat + (b.lat - a.lat) * f, a.lng + (b.lng - a.lng) * f));
      left = 0;
    }
    return out;
  }

  /* A road whose report says how far it has reached: the rest is drawn grey, the done part in its status colour. */
  function drawReached(name, feature, lyr) {
    var p = feature.properties;
    if (name !== "projects" || !p.reached_m || feature.geometry.type !== "LineString" || p.schedule_status === "done") return;
    var s = CFG.styles.projects;
    var latlngs = lyr.getLatLngs();
    var done = L.polyline(leadingPart(latlngs, p.reached_m), {
      pane: lyr.options.pane, color: s.colors[p.schedule_status] || "#555", weight: s.weight + 1, interactive: false,
      className: "mapapp-projects-done",
    });
    lyr.setStyle({ color: s.remaining_color, dashArray: "6 6" });
    lyr.on("add", function () { done.addTo(lyr._map); });
    lyr.on("remove", function () { done.remove(); });
  }

  function onEach(name) {
    return function (feature, lyr) {
      var p = feature.properties;
      drawReached(name, feature, lyr);
      lyr.bindPopup(function () { return M.popups[name](p); }, { maxWidth: 360, minWidth: 240 });
      if (name === "zones") {
        lyr.bindTooltip(M.tooltip(name, p), { permanent: true, direction: "center", className: "mapapp-zone-label" });
      } else {
        lyr.bindTooltip(M.tooltip(name, p), { sticky: true });
      }
      lyr.feature = feature;
      lyr._mapappLayer = name;
    };
  }

  function pointToLayer(name) {
    return function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    };
  }

  /* Conflicts' hatched fills are SVG patterns, one per severity colour, defined once in the page. */
  function addHatchPattern() {
    var svg = '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>';
    Object.keys(CFG.styles.conflicts.colors).forEach(function (sev) {
      var c = CFG.styles.conflicts.colors[sev];
      svg += '<pattern id="mapapp-hatch-' + sev + '" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)">' +
        '<rect width="8" height="8" fill="' + c + '" fill-opacity="0.12"></rect><line x1="0" y1="0" x2="0" y2="8" stroke="' + c + '" stroke-width="3"></line></pattern>';
    });
    document.body.insertAdjacentHTML("beforeend", svg + "</defs></svg>");
  }

  /* Called by the folium element of each API layer: returns the (still empty) layer at once. */
  function apiLayer(leafletMap, options) {
    var name = options.layer;
    if (!M.map) M.init(leafletMap);
    var paneName = "mapapp-" + name;
    if (!leafletMap.getPane(paneName)) {
      leafletMap.createPane(paneName).style.zIndex = 400 + M.ORDER.indexOf(name) * 5;
    }
    var layer = L.geoJSON(null, {
      pane: paneName,
      style: styleFor(name),
      onEachFeature: onEach(name),
      pointToLayer: pointToLayer(name),
      filter: visible(name),
      interactive: name !== "boundaries",
    });
    state.layers[name] = layer;
    if (M.tiled(name)) M.attachTiles(name, layer);
    setTimeout(function () { load(name); }, 0);
    return layer;
  }

  M.hidden = hidden;
  M.redraw = redraw;
  M.windowed = windowed;
  M.load = load;
  M.drainIdle = drainIdle;
  M.refreshWindows = refreshWindows;
  M.whenIdle = whenIdle;
  M.addHatchPattern = addHatchPattern;
  M.apiLayer = apiLayer;
})(window.mapapp = window.mapapp || {});
