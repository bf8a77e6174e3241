/* The "as of" date: one text box and one slider that always agree, from the data's first date to
 * today (the province's date), the data's last date marked. Projects and clearance are fetched
 * again as they were that day; the control says which layers follow the date and which do not. */
(function (M) {
  "use strict";

  var CFG = M.cfg, state = M.state, t = M.t, esc = M.esc;
  var DAY = 86400000;

  function dayNumber(iso) { return Math.round(new Date(iso + "T00:00:00Z").getTime() / DAY); }
  function isoOf(day) { return new Date(day * DAY).toISOString().slice(0, 10); }
  function valid(iso) { return /^\d{4}-\d{2}-\d{2}$/.test(iso) && !isNaN(dayNumber(iso)) && isoOf(dayNumber(iso)) === iso; }

  /* The date written as the page's language writes it (dd/mm/yyyy in Vietnamese, ISO in English). */
  function shown(iso) {
    if (CFG.lang === "en") return iso;
    var p = iso.split("-");
    return p[2] + "/" + p[1] + "/" + p[0];
  }

  /* Why ``iso`` cannot be shown, or "" when it can. */
  function refusal(iso) {
    if (!valid(iso)) return t("date.invalid");
    if (iso > CFG.today) return t("date.future").replace("{today}", shown(CFG.today));
    if (iso < CFG.data_start) return t("date.too_early").replace("{start}", shown(CFG.data_start));
    return "";
  }

  function setDate(iso) {
    CFG.at = iso;  // the layers' URLs read the date from the config
    ["projects", "clearance"].forEach(function (name) { if (state.layers[name]) M.load(name); });
    document.querySelectorAll(".mapapp-as-of-text").forEach(function (el) { el.textContent = shown(iso); });
    if (M.viewstate) M.viewstate.save();
  }

  M.DateControl = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var div = L.DomUtil.create("div", "mapapp-date leaflet-bar");
      var start = dayNumber(CFG.data_start), end = dayNumber(CFG.today), last = dayNumber(CFG.data_end);
      var markPct = end > start ? (100 * (last - start) / (end - start)) : 100;
      div.innerHTML =
        '<label class="mapapp-date-label">' + esc(t("ui.as_of")) +
        ' <input type="date" class="mapapp-date-input" value="' + esc(CFG.at) + '" min="' + esc(CFG.data_start) + '" max="' + esc(CFG.today) + '"></label>' +
        '<div class="mapapp-date-track"><input type="range" class="mapapp-date-slider" min="' + start + '" max="' + end + '" value="' + dayNumber(CFG.at) +
        '" aria-label="' + esc(t("ui.as_of")) + '" list="mapapp-date-marks">' +
        '<span class="mapapp-date-mark" style="left:' + markPct.toFixed(2) + '%" title="' + esc(t("date.data_end")) + '"></span></div>' +
        '<datalist id="mapapp-date-marks"><option value="' + last + '"></option></datalist>' +
        '<div class="mapapp-date-ends"><span>' + esc(shown(CFG.data_start)) + '</span>' +
        '<button type="button" class="mapapp-date-last">' + esc(t("date.data_end")) + ": " + esc(shown(CFG.data_end)) + '</button>' +
        '<span>' + esc(shown(CFG.today)) + '</span></div>' +
        '<div class="mapapp-date-error" role="alert"></div>' +
        '<div class="mapapp-date-scope">' + esc(t("date.follows")) + '<br>' + esc(t("date.fixed")) + '</div>';
      var input = div.querySelector(".mapapp-date-input");
      var slider = div.querySelector(".mapapp-date-slider");
      var error = div.querySelector(".mapapp-date-error");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);

      function apply(iso) {
        var why = refusal(iso);
        error.textContent = why;
        div.classList.toggle("mapapp-date-refused", !!why);
        if (why) { input.value = CFG.at; slider.value = dayNumber(CFG.at); return; }
        input.value = iso;
        slider.value = dayNumber(iso);
        if (iso !== CFG.at) setDate(iso);
      }
      input.addEventListener("change", function () { apply(input.value); });
      input.addEventListener("input", function () { if (valid(input.value) && !refusal(input.value)) slider.value = dayNumber(input.value); });
      slider.addEventListener("input", function () { input.value = isoOf(Number(slider.value)); error.textContent = ""; });
      slider.addEventListener("change", function () { apply(isoOf(Number(slider.value))); });
      div.querySelector(".mapapp-date-last").addEventListener("click", function () { apply(CFG.data_end); });
      this._apply = apply;
      return div;
    },
  });

  M.dateText = shown;
})(window.mapapp = window.mapapp || {});
