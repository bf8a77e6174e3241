/* The import page: upload with a progress bar, then the preview drawn on a small map. */
(function () {
  "use strict";
  var script = document.currentScript;
  var COLORS = { added: "#1a9850", changed: "#f28e2b", retired: "#d73027" };

  var form = document.getElementById("import-form");
  if (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var bar = document.getElementById("import-progress");
      var text = document.getElementById("import-progress-text");
      bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
        text.textContent = script.dataset.uploading + " " + bar.value + " %";
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");  // indeterminate while the server checks the file
        text.textContent = script.dataset.checking;
      });
      xhr.addEventListener("load", function () {
        var answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 200 && answer.next) { window.location.assign(answer.next); return; }
        bar.hidden = true;
        var lang = document.documentElement.lang === "en" ? "en" : "vi";  // the refusal in the page's language
        text.textContent = (answer.message && answer.message[lang]) || answer.error || ("HTTP " + xhr.status);
      });
      xhr.send(new FormData(form));
    });
  }

  var data = document.getElementById("import-geojson");
  if (data && window.L) {
    var map = L.map("import-map", { attributionControl: false });
    var layer = L.geoJSON(JSON.parse(data.textContent), {
      style: function (f) { return { color: COLORS[f.properties.outcome], weight: 2, fillOpacity: 0.35 }; },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 6, color: COLORS[f.properties.outcome] }); },
      onEachFeature: function (f, l) { l.bindTooltip(f.properties.code + " (" + f.properties.outcome + ")"); },
    }).addTo(map);
    if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
    else map.setView([9.86, 105.66], 10);
    document.getElementById("import-preview").dataset.drawn = String(layer.getLayers().length);
  }
})();
