/* Progress and errors while layers load: a small control the user can read. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, esc = M.esc, num = M.num;

  M.StatusControl = L.Control.extend({
    options: { position: "bottomleft" },
    onAdd: function () {
      this._div = L.DomUtil.create("div", "mapapp-status leaflet-bar");
      this._div.setAttribute("role", "status");
      return this._div;
    },
    update: function () {
      var map = M.map;
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
})(window.mapapp = window.mapapp || {});
