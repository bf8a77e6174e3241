/* Small screens: the layer switcher, the legend and the date fold into buttons so the map stays visible. */
(function (M) {
  "use strict";

  var NARROW = 700;  // px; the same break as mapapp.css

  function foldable(container, label, startOpen) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "mapapp-fold";
    button.textContent = label;
    button.setAttribute("aria-expanded", String(startOpen));
    container.classList.toggle("mapapp-folded", !startOpen);
    button.addEventListener("click", function (ev) {
      ev.stopPropagation();
      var open = container.classList.toggle("mapapp-folded") === false;
      button.setAttribute("aria-expanded", String(open));
    });
    container.insertBefore(button, container.firstChild);
    return button;
  }

  /* Called once the page's controls exist (folium adds the layer switcher last). */
  M.compact = function () {
    if (window.innerWidth >= NARROW) return;
    var layers = document.querySelector(".leaflet-control-layers");
    if (layers) foldable(layers, "☰ " + M.t("ui.layers"), false);
    var legend = document.querySelector(".mapapp-legend");
    if (legend) foldable(legend, M.t("ui.legend"), false);
    var date = document.querySelector(".mapapp-date");
    if (date) {
      // the date in the button follows the date chosen (setDate rewrites every .mapapp-as-of-text)
      var button = foldable(date, "", false);
      button.innerHTML = M.esc(M.t("ui.as_of")) + ' <span class="mapapp-as-of-text">' + M.esc(M.dateText(M.cfg.at)) + "</span>";
    }
  };
})(window.mapapp = window.mapapp || {});
