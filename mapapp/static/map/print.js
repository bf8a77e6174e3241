/* The print view: the legend written out in full (only the layers shown, with their counts) and,
 * for a focused feature, its attributes beside the map instead of in a popup: one sheet per lot or project. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, esc = M.esc;

  function legendHtml() {
    var html = "";
    M.ORDER.forEach(function (layer) {
      var prefix = CFG.legend[layer], group = state.layers[layer];
      if (!prefix || !group || !M.map.hasLayer(group)) return;
      var s = CFG.styles[layer], hidden = M.hidden[layer] || {}, counts = {};
      group.eachLayer(function (l) { var v = l.feature.properties[s.by]; counts[v] = (counts[v] || 0) + 1; });
      html += '<div class="mapapp-legend-layer">' + esc(t("layer." + layer)) + "</div>";
      Object.keys(s.colors).forEach(function (value) {
        if (hidden[value]) return;
        var swatch = layer === "projects" ? "line" : (s.hatched ? "hatch" : "box");
        html += '<div class="mapapp-legend-item-static"><span class="mapapp-swatch mapapp-swatch-' + swatch + '" style="--c:' + esc(s.colors[value]) + '"></span>' +
          esc(t(prefix + "." + value)) + ' <span class="mapapp-legend-count">' + esc(counts[value] || 0) + "</span></div>";
      });
    });
    return html;
  }

  /* The map page's print button: a link to /print with the view's own parameters (kept current by viewstate). */
  M.PrintControl = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var div = L.DomUtil.create("div", "leaflet-bar mapapp-print");
      var a = L.DomUtil.create("a", "mapapp-print-link mapapp-keeps-view", div);
      a.dataset.path = "/print";
      a.href = "/print" + window.location.search;
      a.title = t("ui.print");
      a.setAttribute("aria-label", t("ui.print"));
      a.setAttribute("role", "button");
      a.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M6 2h12v5H6zM4 8h16a2 2 0 0 1 2 2v6h-4v6H6v-6H2v-6a2 2 0 0 1 2-2zm4 8v4h8v-4zm10-5.5a1 1 0 1 0 0 2 1 1 0 0 0 0-2z"/></svg>';
      return div;
    },
  });

  /* Called once the layers are drawn and the view is set. */
  M.printReady = function () {
    if (!CFG.print) return;
    document.querySelector(".print-legend-body").innerHTML = legendHtml();
    var popup = M.map._popup;
    if (popup && popup.isOpen() && popup._source && popup._source.feature) {
      var src = popup._source, section = document.querySelector(".print-attributes");
      section.querySelector(".print-attributes-body").innerHTML = M.popups[src._mapappLayer](src.feature.properties);
      section.hidden = false;
      M.fillLotIssues(section);
      M.map.closePopup();
      M.map.fitBounds(src.getBounds ? src.getBounds() : L.latLngBounds([src.getLatLng()]), { padding: [30, 30], maxZoom: 17, animate: false });
    }
  };
})(window.mapapp = window.mapapp || {});
