/* mapapp: layers fetched from the API in the browser, styled from one table,
 * with popups built from escaped text only (user text is data, never markup). */
(function () {
  "use strict";

  var CFG = window.MAPAPP_CONFIG || {};
  var T = CFG.i18n || {};
  var state = { layers: {}, data: {}, loaded: {}, pending: {}, errors: [], notices: [], ready: false,
                seq: {}, window: {}, tooFar: {}, idle: [] };
  var ORDER = ["boundaries", "zones", "clearance", "lots", "projects", "conflicts"];

  function t(key) { return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key; }

  function esc(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`=\/]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;", "=": "&#61;", "/": "&#47;" }[c];
    });
  }

  var locale = CFG.lang === "en" ? "en-GB" : "vi-VN";
  function num(v, digits) {
    if (v === null || v === undefined || v === "" || isNaN(v)) return "—";
    return Number(v).toLocaleString(locale, { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function vnd(v) {
    if (v === null || v === undefined) return "—";
    if (Math.abs(v) >= 1e9) return num(v / 1e9, 2) + (CFG.lang === "en" ? " bn VND" : " tỷ đồng");
    if (Math.abs(v) >= 1e6) return num(v / 1e6, 1) + (CFG.lang === "en" ? " m VND" : " triệu đồng");
    return num(v, 0) + " đ";
  }
  function label(prefix, value) { return value ? t(prefix + "." + value) : "—"; }
  function withLang(url) {
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "lang=" + encodeURIComponent(CFG.lang || "vi");
  }

  function row(key, valueHtml) {
    return "<tr><th>" + esc(t(key)) + "</th><td>" + valueHtml + "</td></tr>";
  }
  function table(rows) { return '<table class="mapapp-popup-table">' + rows.join("") + "</table>"; }
  function title(text, sub) {
    return '<div class="mapapp-popup-title">' + esc(text) + "</div>" + (sub ? '<div class="mapapp-popup-sub">' + esc(sub) + "</div>" : "");
  }
  function chip(layer, value, prefix) {
    var style = (CFG.styles[layer] || {}).colors || {};
    return '<span class="mapapp-chip" style="background:' + esc(style[value] || "#999") + '"></span>' + esc(label(prefix, value));
  }
  function focusLink(layer, code) {
    return '<a class="mapapp-focus" href="' + esc(withLang("/?focus=" + encodeURIComponent(layer + ":" + code))) + '" data-layer="' + esc(layer) + '" data-code="' + esc(code) + '">' + esc(code) + "</a>";
  }
  function progressBar(actual, planned) {
    var a = Math.max(0, Math.min(100, Number(actual) || 0));
    var html = '<div class="mapapp-progress" title="' + esc(num(a, 1)) + ' %"><div class="mapapp-progress-done" style="width:' + a + '%"></div>';
    if (planned !== null && planned !== undefined) {
      html += '<div class="mapapp-progress-plan" style="left:' + Math.max(0, Math.min(100, planned)) + '%"></div>';
    }
    return html + '</div><div class="mapapp-progress-text">' + esc(num(a, 1)) + " %" +
      (planned !== null && planned !== undefined ? " / " + esc(t("field.schedule")) + " " + esc(num(planned, 1)) + " %" : "") + "</div>";
  }

  var POPUPS = {
    boundaries: function (p) { return title(p.name, p.level); },
    zones: function (p) {
      var conflicts = p.conflicts || {};
      var keys = Object.keys(conflicts);
      var conflictHtml = keys.length ? keys.map(function (k) { return esc(t("conflict." + k)) + ": <b>" + esc(conflicts[k]) + "</b>"; }).join("<br>") : esc(t("ui.none"));
      if (keys.length) {
        conflictHtml += '<br><a href="' + esc(withLang("/conflicts?zone=" + encodeURIComponent(p.code))) + '">' + esc(t("ui.details")) + " →</a>";
      }
      return title(CFG.lang === "en" && p.name_en ? p.name_en : p.name, p.code) + table([
        row("field.kind", esc(label("zones.kind", p.kind))),
        row("field.status", chip("zones", p.status, "zones.status")),
        row("field.district", esc(p.district || "—")),
        row("field.planned_area_ha", esc(num(p.planned_area_ha)) + " ha"),
        row("field.area", esc(num(p.area_ha)) + " ha"),
        row("field.lots", esc(num(p.lots_total, 0))),
        row("field.occupancy", p.occupancy_pct === null || p.occupancy_pct === undefined ? "—" : progressBar(p.occupancy_pct)),
        row("field.available_ha", esc(num(p.available_ha)) + " ha"),
        row("field.developer", esc(p.developer || "—")),
        row("field.conflicts", conflictHtml),
      ]);
    },
    lots: function (p) {
      return title(p.code, p.tenant || "") + table([
        row("field.status", chip("lots", p.status, "lots.status")),
        row("field.zone_code", focusLink("zones", p.zone_code)),
        row("field.land_use", esc(label("lots.land_use", p.land_use))),
        row("field.tenant", esc(p.tenant || "—")),
        row("field.area", esc(num(p.area_ha)) + " ha"),
        row("field.price_usd_m2", p.price_usd_m2 ? esc(num(p.price_usd_m2, 1)) : "—"),
      ]);
    },
    clearance: function (p) {
      return title(p.code, p.owner || "") + table([
        row("field.status", chip("clearance", p.status, "clearance.status")),
        row("field.zone_code", focusLink("zones", p.zone_code)),
        row("field.owner", esc(p.owner || "—")),
        row("field.households", esc(num(p.households, 0))),
        row("field.area", esc(num(p.area_ha)) + " ha"),
        row("field.compensation_vnd", esc(vnd(p.compensation_vnd))),
        row("field.paid_vnd", esc(vnd(p.paid_vnd))),
      ]);
    },
    projects: function (p) {
      var status = p.schedule_status;
      var rows = [
        row("field.kind", esc(label("projects.kind", p.kind))),
        row("field.status", status ? chip("projects", status, "schedule") + (p.stale ? ' <span class="mapapp-stale">(' + esc(t("schedule.stale")) + ")</span>" : "") : esc(label("projects.status", p.status))),
        row("field.progress_pct", progressBar(p.actual_pct === undefined ? p.progress_pct : p.actual_pct, p.planned_pct)),
        row("field.schedule", esc(p.planned_start || "?") + " → " + esc(p.planned_end || "?")),
      ];
      if (p.days_late) rows.push(row("field.days_late", esc(num(p.days_late, 0))));
      if (p.length_m) rows.push(row("field.length", esc(num(p.length_m, 0)) + " m"));
      if (p.area_ha) rows.push(row("field.area", esc(num(p.area_ha)) + " ha"));
      if (p.blocked_by && p.blocked_by.length) {
        rows.push(row("field.blocked_by", '<span class="mapapp-blocked">' + p.blocked_by.map(function (c) { return focusLink("clearance", c); }).join(", ") + "</span>"));
      }
      rows.push(row("field.responsible", esc(p.responsible || "—")));
      if (p.zone_code) rows.push(row("field.zone_code", focusLink("zones", p.zone_code)));
      var link = '<a href="' + esc(withLang("/projects/" + encodeURIComponent(p.code))) + '">' + esc(t("ui.details")) + " →</a>";
      return title(CFG.lang === "en" && p.name_en ? p.name_en : p.name, p.code) + table(rows) + link;
    },
    conflicts: function (p) {
      var codes = p.codes || [], layers = p.layers || [];
      var links = codes.map(function (c, i) { return focusLink(layers[i] || "lots", c); }).join(" ↔ ");
      var amount = p.area_m2 !== null && p.area_m2 !== undefined ? esc(num(p.area_m2, 1)) + " m²" :
        (p.length_m !== null && p.length_m !== undefined ? esc(num(p.length_m, 1)) + " m" : "—");
      return title(t("conflict." + p.type)) + '<div class="mapapp-popup-desc">' + esc(CFG.lang === "en" ? p.description_en : p.description) + "</div>" + table([
        row("field.severity", chip("conflicts", p.severity, "severity")),
        row("field.conflicts", links),
        row("field.area", amount),
      ]);
    },
  };

  function tooltip(layer, p) {
    if (layer === "zones" || layer === "projects") return esc(CFG.lang === "en" && p.name_en ? p.name_en : p.name);
    if (layer === "lots") return esc(p.code) + " · " + esc(label("lots.status", p.status));
    if (layer === "clearance") return esc(p.code) + " · " + esc(label("clearance.status", p.status));
    if (layer === "conflicts") return esc(t("conflict." + p.type));
    return esc(p.name || p.code);
  }

  function styleFor(layer) {
    var s = CFG.styles[layer];
    return function (feature) {
      var value = feature.properties[s.by];
      var color = s.colors[value] || "#555";
      var weight = typeof s.weight === "object" ? (s.weight[value] || 1) : s.weight;
      var dash = s.dash ? s.dash[value] || null : null;
      return { color: color, weight: weight, fillColor: color, fillOpacity: s.fill_opacity, dashArray: dash,
               className: "mapapp-" + layer + (s.hatched ? " mapapp-hatched-" + value : "") };
    };
  }

  /* Progress and errors while layers load: a small control the user can read. */
  var StatusControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      this._div = L.DomUtil.create("div", "mapapp-status leaflet-bar");
      this._div.setAttribute("role", "status");
      return this._div;
    },
    update: function () {
      var pending = Object.keys(state.pending);
      var html = "";
      if (pending.length) {
        html += '<span class="mapapp-spinner"></span>' + esc(t("ui.loading")) + ": " + pending.map(function (l) { return esc(t("layer." + l)); }).join(", ") + "…";
      }
      var far = Object.keys(state.tooFar).filter(function (l) { return map && map.hasLayer(state.layers[l]); });
      if (far.length) {
        html += '<div class="mapapp-zoom-hint">' + esc(t("ui.zoom_in")) + ": " + far.map(function (l) {
          return esc(t("layer." + l)) + " (" + esc(num(CFG.layers[l].count, 0)) + ")";
        }).join(", ") + "</div>";
      }
      state.notices.forEach(function (n) { html += '<div class="mapapp-notice">' + esc(n) + "</div>"; });
      state.errors.forEach(function (e) { html += '<div class="mapapp-error">' + esc(e) + "</div>"; });
      this._div.innerHTML = html;
      this._div.style.display = html ? "block" : "none";
    },
  });

  /* Legend: one entry per colour, with its count; clicking an entry hides or shows those features. */
  var hidden = {};
  var LegendControl = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      this._div = L.DomUtil.create("div", "mapapp-legend leaflet-bar");
      L.DomEvent.disableScrollPropagation(this._div);
      L.DomEvent.disableClickPropagation(this._div);
      var self = this;
      this._div.addEventListener("click", function (ev) {
        var item = ev.target.closest(".mapapp-legend-item[data-layer]");
        if (!item) return;
        var layer = item.dataset.layer, value = item.dataset.value;
        hidden[layer] = hidden[layer] || {};
        hidden[layer][value] = !hidden[layer][value];
        redraw(layer);
        self.update();
      });
      this._div.addEventListener("keydown", function (ev) {
        if ((ev.key === "Enter" || ev.key === " ") && ev.target.closest(".mapapp-legend-item[data-layer]")) {
          ev.preventDefault();
          ev.target.click();
        }
      });
      this.update();
      return this._div;
    },
    update: function () {
      var html = '<div class="mapapp-legend-title">' + esc(t("ui.legend")) + '</div><div class="mapapp-legend-hint">' + esc(t("ui.legend_hint")) + "</div>";
      ORDER.forEach(function (layer) {
        var prefix = CFG.legend[layer];
        if (!prefix) return;
        var s = CFG.styles[layer];
        var counts = countBy(layer, s.by);
        html += '<div class="mapapp-legend-layer">' + esc(t("layer." + layer)) + "</div>";
        Object.keys(s.colors).forEach(function (value) {
          var swatch = layer === "projects" ? "line" : (s.hatched ? "hatch" : "box");
          var off = hidden[layer] && hidden[layer][value];
          html += '<div class="mapapp-legend-item' + (off ? " mapapp-off" : "") + '" role="button" tabindex="0" data-layer="' + esc(layer) + '" data-value="' + esc(value) + '">' +
            '<span class="mapapp-swatch mapapp-swatch-' + swatch + '" style="--c:' + esc(s.colors[value]) + '"></span>' + esc(t(prefix + "." + value)) +
            (counts ? ' <span class="mapapp-legend-count">' + esc(counts[value] || 0) + "</span>" : "") + "</div>";
        });
        if (s.remaining_color) {
          html += '<div class="mapapp-legend-item-static"><span class="mapapp-swatch mapapp-swatch-dashed" style="--c:' + esc(s.remaining_color) + '"></span>' + esc(t("ui.remaining")) + "</div>";
        }
      });
      this._div.innerHTML = html;
    },
  });

  function countBy(layer, attribute) {
    var data = state.data[layer];
    if (!data) return null;
    var counts = {};
    data.features.forEach(function (f) { var v = f.properties[attribute]; counts[v] = (counts[v] || 0) + 1; });
    return counts;
  }

  function visible(layer) {
    return function (feature) {
      var by = CFG.styles[layer].by;
      return !(hidden[layer] && hidden[layer][feature.properties[by]]);
    };
  }

  function redraw(name) {
    var layer = state.layers[name];
    if (!layer || !state.data[name]) return;
    layer.clearLayers();
    layer.addData(state.data[name]);
  }

  /* Cursor position in the province's grid (VN-2000 / TM-3 105°00′, the cadastral maps' metres) and in WGS84. */
  var CoordinatesControl = L.Control.extend({
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

  var SearchControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function (map) {
      var div = L.DomUtil.create("div", "mapapp-search leaflet-bar");
      var input = L.DomUtil.create("input", "mapapp-search-input", div);
      input.type = "search";
      input.placeholder = t("ui.search");
      input.setAttribute("aria-label", t("ui.search"));
      var list = L.DomUtil.create("ul", "mapapp-search-results", div);
      var timer = null;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { runSearch(input.value, list); }, 200);
      });
      input.addEventListener("keydown", function (ev) {
        if (ev.key === "Enter") {
          var first = list.querySelector("li[data-code]");
          if (first) first.click();
        }
      });
      return div;
    },
  });

  function runSearch(text, list) {
    if (text.trim().length < 2) { list.innerHTML = ""; return; }
    fetch(withLang("/api/search?q=" + encodeURIComponent(text))).then(function (r) { return r.json(); }).then(function (data) {
      list.innerHTML = "";
      if (!data.results.length) {
        list.innerHTML = '<li class="mapapp-search-empty">' + esc(t("ui.search_none")) + "</li>";
        return;
      }
      data.results.forEach(function (res) {
        var li = document.createElement("li");
        li.dataset.layer = res.layer;
        li.dataset.code = res.code;
        li.innerHTML = "<b>" + esc(res.code) + "</b> " + esc(res.label) + ' <span class="mapapp-search-layer">' + esc(t("layer." + res.layer)) + "</span>";
        li.addEventListener("click", function () { list.innerHTML = ""; focus(res.layer, res.code); });
        list.appendChild(li);
      });
    });
  }

  var DateControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var div = L.DomUtil.create("div", "mapapp-date leaflet-bar");
      div.innerHTML = '<label>' + esc(t("ui.as_of")) + ' <input type="date" class="mapapp-date-input" value="' + esc(CFG.at) + '" max="' + esc(CFG.today) + '"></label>' +
        '<input type="range" class="mapapp-date-slider" min="0" max="' + esc(CFG.slider_days) + '" value="' + esc(CFG.slider_days - CFG.at_offset) + '" aria-label="' + esc(t("ui.as_of")) + '">';
      var input = div.querySelector(".mapapp-date-input");
      var slider = div.querySelector(".mapapp-date-slider");
      var start = new Date(CFG.slider_start + "T00:00:00Z");
      L.DomEvent.disableClickPropagation(div);
      input.addEventListener("change", function () { if (input.value) setDate(input.value); });
      slider.addEventListener("input", function () {
        var d = new Date(start.getTime() + Number(slider.value) * 86400000);
        input.value = d.toISOString().slice(0, 10);
      });
      slider.addEventListener("change", function () { setDate(input.value); });
      return div;
    },
  });

  function setDate(iso) {
    CFG.at = iso;
    ["projects", "clearance"].forEach(function (name) { if (state.layers[name]) load(name); });
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
    return def.count > CFG.max_features;
  }

  function windowUrl(name) {
    var w = state.window[name];
    if (!w) return layerUrl(name);
    var bbox = [w.getWest(), w.getSouth(), w.getEast(), w.getNorth()].map(function (v) { return v.toFixed(6); }).join(",");
    return layerUrl(name) + "&bbox=" + bbox;
  }

  function load(name) {
    var seq = state.seq[name] = (state.seq[name] || 0) + 1;
    if (windowed(name)) {
      if (map.getZoom() < CFG.window_zoom) {
        state.window[name] = null;
        state.tooFar[name] = true;
        state.data[name] = { type: "FeatureCollection", features: [] };
        state.loaded[name] = 0;
        delete state.pending[name];
        redraw(name);
        if (legend) legend.update();
        status.update();
        if (!Object.keys(state.pending).length) onAllLoaded();
        return Promise.resolve();
      }
      delete state.tooFar[name];
      state.window[name] = map.getBounds().pad(0.3);
    }
    state.pending[name] = true;
    status.update();
    return fetch(windowUrl(name)).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      if (seq !== state.seq[name]) return;  // a newer request for this layer has been sent
      state.data[name] = data;
      redraw(name);
      state.loaded[name] = data.features.length;
      if (legend) legend.update();
    }).catch(function (err) {
      state.errors.push(t("ui.load_failed") + " " + t("layer." + name) + " (" + err.message + "). " + t("ui.retry"));
    }).then(function () {
      if (seq !== state.seq[name]) return;
      delete state.pending[name];
      status.update();
      if (!Object.keys(state.pending).length) onAllLoaded();
    });
  }

  function drainIdle() {
    if (Object.keys(state.pending).length) return;
    var waiting = state.idle;
    state.idle = [];
    waiting.forEach(function (fn) { fn(); });
  }

  function refreshWindows() {
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
      lyr.bindPopup(function () { return POPUPS[name](p); }, { maxWidth: 360, minWidth: 240 });
      if (name === "zones") {
        lyr.bindTooltip(tooltip(name, p), { permanent: true, direction: "center", className: "mapapp-zone-label" });
      } else {
        lyr.bindTooltip(tooltip(name, p), { sticky: true });
      }
      lyr.feature = feature;
    };
  }

  function pointToLayer(name) {
    return function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7 });
    };
  }

  var map, status, legend, highlighted = null;

  function findFeature(name, code) {
    var found = null;
    var layer = state.layers[name];
    if (!layer) return null;
    layer.eachLayer(function (lyr) { if (lyr.feature && featureKey(lyr.feature) === String(code)) found = lyr; });
    return found;
  }

  function featureKey(feature) {
    return String(feature.properties.code !== undefined ? feature.properties.code : feature.id);
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
    fetch(withLang("/ogc/collections/" + encodeURIComponent(name) + "/items/" + encodeURIComponent(code))).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (feature) {
      var bounds = L.geoJSON(feature).getBounds();
      var zoom = Math.min(17, Math.max(map.getBoundsZoom(bounds), CFG.window_zoom));
      map.setView(bounds.getCenter(), zoom, { animate: false });
      refreshWindows();
      whenIdle(function () { focus(name, code, true); });
    }).catch(function (err) {
      state.errors.push((CFG.lang === "en" ? "Not found on the map: " : "Không có trên bản đồ: ") + name + " " + code + " (" + err.message + ")");
      status.update();
    });
    return true;
  }

  function focus(name, code, fetched) {
    var layer = state.layers[name];
    if (layer && !map.hasLayer(layer)) map.addLayer(layer);
    var lyr = findFeature(name, code);
    if (!lyr && hidden[name]) {  // hidden from the legend: show its layer's features again
      hidden[name] = {};
      redraw(name);
      if (legend) legend.update();
      lyr = findFeature(name, code);
    }
    if (!lyr && windowed(name) && !fetched) {
      return focusFar(name, code);
    }
    if (!lyr) {
      state.errors.push((CFG.lang === "en" ? "Not found on the map: " : "Không có trên bản đồ: ") + name + " " + code);
      status.update();
      return false;
    }
    if (lyr.getBounds) map.fitBounds(lyr.getBounds(), { maxZoom: 17, padding: [40, 40] });
    else map.setView(lyr.getLatLng(), 16);
    highlight(lyr);
    lyr.openPopup(lyr.getBounds ? lyr.getBounds().getCenter() : undefined);
    return true;
  }

  /* Open on the province (or, without boundaries, on the zones) rather than on a fixed view. */
  function fitData() {
    var candidates = ["boundaries", "zones", "lots"];
    for (var i = 0; i < candidates.length; i++) {
      var layer = state.layers[candidates[i]];
      if (layer && layer.getLayers().length) {
        map.fitBounds(layer.getBounds(), { padding: [10, 10] });
        return;
      }
    }
  }

  function onAllLoaded() {
    drainIdle();
    if (state.ready) return;
    state.ready = true;
    if (CFG.focus) {
      var parts = CFG.focus.split(":");
      focus(parts[0], parts.slice(1).join(":"));
    } else {
      fitData();
    }
    document.body.dataset.mapReady = "1";
  }

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
    if (!map) init(leafletMap);
    var paneName = "mapapp-" + name;
    if (!leafletMap.getPane(paneName)) {
      leafletMap.createPane(paneName).style.zIndex = 400 + ORDER.indexOf(name) * 5;
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
    setTimeout(function () { load(name); }, 0);
    return layer;
  }

  /* Base-map tiles that cannot load (a closed intranet): fall back to the plain background and say so. */
  var blankBase = null;
  function setBlankBase(layer) { blankBase = layer; }

  function watchTiles(layer) {
    if (layer._mapappWatched) return;
    layer._mapappWatched = true;
    var loaded = 0, failed = 0;
    layer.on("tileload", function () { loaded++; });
    layer.on("tileerror", function () {
      failed++;
      if (loaded === 0 && failed === 4 && blankBase && map.hasLayer(layer)) {
        map.removeLayer(layer);
        map.addLayer(blankBase);
        state.notices.push(t("ui.tiles_offline"));
        status.update();
      }
    });
  }

  function init(leafletMap) {
    map = leafletMap;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) watchTiles(layer); });
    map.on("baselayerchange", function (ev) { if (ev.layer instanceof L.TileLayer) watchTiles(ev.layer); });
    addHatchPattern();
    status = new StatusControl();
    status.addTo(map);
    new SearchControl().addTo(map);
    legend = new LegendControl();
    legend.addTo(map);
    new CoordinatesControl().addTo(map);
    if (CFG.at) new DateControl().addTo(map);
    var labelZoom = function () {
      map.getContainer().classList.toggle("mapapp-labels-hidden", map.getZoom() < 11);
    };
    map.on("zoomend", labelZoom);
    labelZoom();
    map.on("moveend", refreshWindows);
    map.on("overlayadd overlayremove", function () { refreshWindows(); status.update(); });
    map.on("popupopen", function (ev) {
      ev.popup.getElement().querySelectorAll("a.mapapp-focus").forEach(function (a) {
        a.addEventListener("click", function (e) {
          e.preventDefault();
          map.closePopup();
          focus(a.dataset.layer, a.dataset.code);
        });
      });
    });
  }

  window.mapapp = { apiLayer: apiLayer, setBlankBase: setBlankBase, esc: esc, focus: focus, state: state, get map() { return map; } };
})();
