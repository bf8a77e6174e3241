/* Legend: one entry per colour, with its count; clicking an entry hides or shows those features. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, esc = M.esc;

  function countBy(layer, attribute) {
    var data = state.data[layer];
    if (!data) return null;
    var counts = {};
    data.features.forEach(function (f) { var v = M.styleValue(layer, f.properties); counts[v] = (counts[v] || 0) + 1; });
    return counts;
  }

  M.LegendControl = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      this._div = L.DomUtil.create("div", "mapapp-legend leaflet-bar");
      L.DomEvent.disableScrollPropagation(this._div);
      L.DomEvent.disableClickPropagation(this._div);
      this._body = L.DomUtil.create("div", "mapapp-legend-body", this._div);  // re-rendered; the fold button stays
      var self = this;
      this._div.addEventListener("click", function (ev) {
        var item = ev.target.closest(".mapapp-legend-item[data-layer]");
        if (!item) return;
        var hidden = M.hidden;
        var layer = item.dataset.layer, value = item.dataset.value;
        hidden[layer] = hidden[layer] || {};
        hidden[layer][value] = !hidden[layer][value];
        M.redraw(layer);
        self.update();
        if (M.viewstate) M.viewstate.save();
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
      var hidden = M.hidden;
      var html = '<div class="mapapp-legend-title">' + esc(t("ui.legend")) + '</div><div class="mapapp-legend-hint">' + esc(t("ui.legend_hint")) + "</div>";
      M.ORDER.forEach(function (layer) {
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
      this._body.innerHTML = html;
      this.fit();
    },
    /* Never taller than the room left under the top-right controls: the legend scrolls inside. */
    fit: function () {
      var map = M.map;
      if (!map || !this._div) return;
      var box = map.getContainer().getBoundingClientRect(), low = box.top;
      map.getContainer().querySelectorAll(".leaflet-top.leaflet-right .leaflet-control").forEach(function (c) {
        if (c.offsetParent !== null) low = Math.max(low, c.getBoundingClientRect().bottom);
      });
      this._div.style.maxHeight = Math.max(120, box.bottom - low - 40) + "px";
    },
  });
})(window.mapapp = window.mapapp || {});
