/* Finding a feature by its code, highlighting it and bringing it into view; the first view of the map. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, withLang = M.withLang;
  var highlighted = null;

  function featureKey(feature) {
    return String(feature.properties.code !== undefined ? feature.properties.code : feature.id);
  }

  function findFeature(name, code) {
    var found = null;
    var layer = state.layers[name];
    if (!layer) return null;
    layer.eachLayer(function (lyr) { if (lyr.feature && featureKey(lyr.feature) === String(code)) found = lyr; });
    return found;
  }

  function highlight(lyr) {
    if (highlighted && highlighted.setStyle && highlighted._mapappStyle) highlighted.setStyle(highlighted._mapappStyle);
    if (lyr.setStyle) {
      lyr._mapappStyle = { color: lyr.options.color, weight: lyr.options.weight, dashArray: lyr.options.dashArray };
      lyr.setStyle({ color: "#00e5ff", weight: Math.max(5, lyr.options.weight + 3), dashArray: null });
      if (lyr.bringToFront) lyr.bringToFront();
    }
    highlighted = lyr;
    document.body.dataset.highlighted = featureKey(lyr.feature);
  }

  /* A feature of a windowed layer that is not loaded: ask where it is, go there, then focus it. */
  function focusFar(name, code) {
    var map = M.map;
    fetch(withLang("/ogc/collections/" + encodeURIComponent(name) + "/items/" + encodeURIComponent(code))).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (feature) {
      var bounds = L.geoJSON(feature).getBounds();
      var zoom = Math.min(17, Math.max(map.getBoundsZoom(bounds), CFG.window_zoom));
      map.setView(bounds.getCenter(), zoom, { animate: false });
      M.refreshWindows();
      M.whenIdle(function () { focus(name, code, true); });
    }).catch(function (err) {
      state.errors.push(M.t("ui.not_on_map") + ": " + name + " " + code + " (" + err.message + ")");
      M.status.update();
    });
    return true;
  }

  /* Bring a feature into view (unless keepView: a shared link's own view), outline it, open its popup. */
  function focus(name, code, fetched, keepView) {
    var map = M.map, hidden = M.hidden;
    var layer = state.layers[name];
    if (layer && !map.hasLayer(layer)) map.addLayer(layer);
    if (M.tiled(name)) { M.focusTiled(name, code, keepView); return true; }
    var lyr = findFeature(name, code);
    if (!lyr && hidden[name]) {  // hidden from the legend: show its layer's features again
      hidden[name] = {};
      M.redraw(name);
      if (M.legend) M.legend.update();
      lyr = findFeature(name, code);
    }
    if (!lyr && M.windowed(name) && !fetched) {
      return focusFar(name, code);
    }
    if (!lyr) {
      state.errors.push(M.t("ui.not_on_map") + ": " + name + " " + code);
      M.status.update();
      return false;
    }
    if (!keepView) {
      if (lyr.getBounds) map.fitBounds(lyr.getBounds(), { maxZoom: 17, padding: [40, 40], animate: false });
      else map.setView(lyr.getLatLng(), 16, { animate: false });
    }
    highlight(lyr);
    lyr.openPopup(lyr.getBounds ? lyr.getBounds().getCenter() : undefined);
    return true;
  }

  /* Open on the zones (the province's outline when there are none), not on a fixed view. */
  function fitData() {
    var candidates = ["zones", "lots", "boundaries"];
    for (var i = 0; i < candidates.length; i++) {
      var layer = state.layers[candidates[i]];
      if (layer && layer.getLayers().length) {
        var area = M.freeArea(M.map);
        M.map.fitBounds(layer.getBounds(), {
          paddingTopLeft: [area.left + 10, area.top + 10], paddingBottomRight: [area.right + 10, area.bottom + 10], animate: false,
        });
        return;
      }
    }
  }

  function onAllLoaded() {
    M.drainIdle();
    if (state.ready) return;
    state.ready = true;
    var viewed = M.viewstate.applyView(M.map);
    if (CFG.focus) {
      var parts = CFG.focus.split(":");
      focus(parts[0], parts.slice(1).join(":"), false, viewed);
    } else if (!(CFG.show && M.showFromConfig()) && !viewed) {
      fitData();
    }
    M.viewstate.start(M.map);
    M.placeLabels();
    if (M.printReady) M.printReady();
    document.body.dataset.mapReady = "1";
  }

  M.focus = focus;
  M.onAllLoaded = onAllLoaded;
})(window.mapapp = window.mapapp || {});
