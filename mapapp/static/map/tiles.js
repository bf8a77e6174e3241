/* Large layers (lots, parcels) drawn from vector tiles (/tiles/…, Leaflet.VectorGrid on canvas): the same
 * colours and legend filters as the GeoJSON layers, shown and hidden with their entry in the layer switcher,
 * and a click opens the same popup, filled from the feature API (tiles carry public attributes only). */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t;
  var grids = {};

  /* Whether a layer is drawn from tiles: it is large and the (patched) VectorGrid is installed. */
  M.tiled = function (name) {
    var def = CFG.layers[name];
    return !!(CFG.tiles && def && def.tiles && L.vectorGrid);
  };

  function dated(url, name) {
    if (CFG.layers[name].dated && CFG.at) url += (url.indexOf("?") >= 0 ? "&" : "?") + "at=" + encodeURIComponent(CFG.at);
    return url;
  }

  function tileUrl(name) { return dated(CFG.tiles.url.replace("{layer}", name), name); }

  /* A feature's style as styleFor gives it in layers.js; [] hides it (switched off in the legend). */
  function tileStyle(name) {
    var s = CFG.styles[name];
    return function (p) {
      var value = M.styleValue(name, p);
      if (M.hidden[name] && M.hidden[name][value]) return [];
      var color = s.colors[value] || "#555";
      var overdue = s.overdue_color && p.overdue;
      var overview = p.code === undefined;  // below the feature zoom: cells of colour, no outlines
      return { fill: true, fillColor: color, fillOpacity: s.fill_opacity, stroke: !overview || !!overdue,
               color: overdue ? s.overdue_color : color, weight: overdue ? 3 : (typeof s.weight === "object" ? 1 : s.weight) };
    };
  }

  function featureUrl(name, code) {
    return M.withLang(dated("/api/layers/" + encodeURIComponent(name) + "/" + encodeURIComponent(code), name));
  }

  /* The popup of a feature fetched from the API (the viewer's own view of it: redacted for the public). */
  function openPopup(name, code, latlng) {
    return fetch(featureUrl(name, code)).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (feature) {
      var popup = L.popup({ maxWidth: 360, minWidth: 240 }).setLatLng(latlng || L.geoJSON(feature).getBounds().getCenter())
        .setContent(M.popups[name](feature.properties));
      popup.openOn(M.map);
      return feature;
    }).catch(function (err) {
      state.errors.push(t("ui.load_failed") + " " + t("layer." + name) + " " + code + " (" + err.message + ")");
      M.status.update();
    });
  }

  function onClick(name, ev) {
    var p = (ev.layer && ev.layer.properties) || {};
    if (p.code === undefined) {  // an overview cell: zoom in to where features can be clicked
      M.map.setView(ev.latlng, Math.max(M.map.getZoom() + 2, CFG.tiles.feature_zoom));
      return;
    }
    openPopup(name, p.code, ev.latlng);
  }

  /* The tile layer of `name`, on the map while its GeoJSON layer (the switcher's entry) is. */
  M.attachTiles = function (name, geo) {
    var styles = {};
    styles[name] = tileStyle(name);
    var grid = L.vectorGrid.protobuf(tileUrl(name), {
      pane: geo.options.pane, rendererFactory: L.canvas.tile, interactive: true, maxZoom: 22,
      vectorTileLayerStyles: styles, getFeatureId: function (f) { return f.properties.code; },
    });
    grid.on("click", function (ev) { onClick(name, ev); });
    grid.on("tileerror", function (ev) {
      state.errors.push(t("ui.load_failed") + " " + t("layer." + name) + " (" + (ev.error && ev.error.message || "tile") + ")");
      M.status.update();
    });
    geo.on("add", function () { if (geo._map) grid.addTo(geo._map); });
    geo.on("remove", function () { grid.remove(); });
    grids[name] = grid;
    return grid;
  };

  /* True once every tile layer on the map has drawn all the tiles of the view (the tests wait for it). */
  M.tilesLoaded = function () {
    return Object.keys(grids).every(function (name) {
      var grid = grids[name];
      return !grid._map || (Object.keys(grid._tiles).length > 0 && grid._noTilesToLoad());
    });
  };

  /* After a date change (a new URL: the tiles are fetched again) or, with restyle, a legend click (redrawn). */
  M.refreshTiles = function (name, restyle) {
    var grid = grids[name];
    if (!grid) return;
    var url = tileUrl(name);
    if (grid._url !== url) grid.setUrl(url);
    else if (restyle) grid.redraw();
  };

  /* Focus on a tiled feature: fetch it, frame it, outline it, open its popup. */
  var outline = null;
  M.focusTiled = function (name, code, keepView) {
    return fetch(featureUrl(name, code)).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (feature) {
      var shape = L.geoJSON(feature, { interactive: false, style: { color: "#00e5ff", weight: 5, fill: false } });
      if (outline) outline.remove();
      outline = shape.addTo(M.map);
      if (!keepView) M.map.fitBounds(shape.getBounds(), { maxZoom: 17, padding: [40, 40], animate: false });
      document.body.dataset.highlighted = String(code);
      L.popup({ maxWidth: 360, minWidth: 240 }).setLatLng(shape.getBounds().getCenter()).setContent(M.popups[name](feature.properties)).openOn(M.map);
    }).catch(function (err) {
      state.errors.push(t("ui.not_on_map") + ": " + name + " " + code + " (" + err.message + ")");
      M.status.update();
    });
  };
})(window.mapapp = window.mapapp || {});
