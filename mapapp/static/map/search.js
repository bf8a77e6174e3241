/* Search box: codes and names from /api/search; choosing a result focuses that feature. */
(function (M) {
  "use strict";

  var t = M.t, esc = M.esc, withLang = M.withLang;

  /* The click must not reach the map: once the list is emptied the item has no parent, Leaflet no
   * longer sees that it came from a control, takes it for a click on the map and closes the popup
   * that focusing the feature has just opened. So stop it here, and empty the list after it. */
  function choose(ev, list, res) {
    L.DomEvent.stop(ev);
    setTimeout(function () { list.innerHTML = ""; }, 0);
    M.focus(res.layer, res.code);
  }

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
        li.innerHTML = "<b>" + esc(res.code) + "</b> " + esc(M.featureName(res.layer, res.code) || res.label) + ' <span class="mapapp-search-layer">' + esc(t("layer." + res.layer)) + "</span>";
        li.addEventListener("click", function (ev) { choose(ev, list, res); });
        list.appendChild(li);
      });
    });
  }

  M.SearchControl = L.Control.extend({
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
})(window.mapapp = window.mapapp || {});
