/* "As of" date (field and slider): the dated layers are fetched again as they were on that day. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, esc = M.esc;

  function setDate(iso) {
    CFG.at = iso;  // the layers' URLs read the date from the config
    ["projects", "clearance"].forEach(function (name) { if (state.layers[name]) M.load(name); });
  }

  M.DateControl = L.Control.extend({
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
})(window.mapapp = window.mapapp || {});
