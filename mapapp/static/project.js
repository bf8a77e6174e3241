/* mapapp project page: the S-curve (planned against actual percent) drawn with Chart.js.
 * The data is JSON in #s-curve-data, written by the server with |tojson. */
(function () {
  "use strict";

  var holder = document.getElementById("s-curve-data");
  var canvas = document.getElementById("s-curve");
  if (!holder || !canvas || !window.Chart) return;
  var data = JSON.parse(holder.textContent);
  var DAY = 86400000;

  function points(pairs) {
    return pairs.map(function (p) { return { x: Date.parse(p[0]), y: p[1] }; });
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function dateLabel(ms, withDay) {
    var d = new Date(ms);
    var y = d.getUTCFullYear(), m = pad(d.getUTCMonth() + 1), day = pad(d.getUTCDate());
    if (data.lang === "en") return withDay ? y + "-" + m + "-" + day : y + "-" + m;
    return withDay ? day + "/" + m + "/" + y : m + "/" + y;
  }

  /* Month starts between min and max, every 1, 2, 3, 6, 12… months (calendar-aligned) so labels never overlap. */
  function monthStart(k) { return Date.UTC(Math.floor(k / 12), k % 12, 1); }

  function monthTicks(min, max, room) {
    var first = new Date(min), months = [];
    for (var k = first.getUTCFullYear() * 12 + first.getUTCMonth() + 1; monthStart(k) <= max; k++) months.push(k);
    var fit = Math.max(2, Math.floor(room / 80));
    var step = [1, 2, 3, 6, 12, 24, 60].find(function (s) { return months.length / s <= fit; }) || 120;
    return months.filter(function (k) { return k % step === 0; }).map(function (k) { return { value: monthStart(k) }; });
  }

  var planned = points(data.planned), actual = points(data.actual);
  var at = Date.parse(data.at);
  var all = planned.concat(actual).map(function (p) { return p.x; }).concat([at]);
  var min = Math.min.apply(null, all) - 10 * DAY, max = Math.max.apply(null, all) + 10 * DAY;
  var decimal = data.lang === "en" ? "." : ",";
  function pct(v) { return String(Math.round(v * 10) / 10).replace(".", decimal) + " %"; }

  new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        { label: data.labels.planned, data: planned, borderColor: "#6b7785", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, tension: 0 },
        { label: data.labels.actual, data: actual, borderColor: data.color, backgroundColor: data.color, borderWidth: 3, pointRadius: 4, tension: 0 },
        { label: data.labels.at_line, data: [{ x: at, y: 0 }, { x: at, y: 100 }], borderColor: "#ffb000", borderWidth: 1.5, pointRadius: 0 },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: {
          type: "linear", min: min, max: max,
          afterBuildTicks: function (axis) { axis.ticks = monthTicks(axis.min, axis.max, axis.chart.width); },
          ticks: { callback: function (v) { return dateLabel(v, false); }, maxRotation: 0, autoSkip: false },
        },
        y: { min: 0, max: 100, ticks: { callback: pct } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: function (items) { return items.length ? dateLabel(items[0].parsed.x, true) : ""; },
            label: function (item) { return item.dataset.label + ": " + pct(item.parsed.y); },
          },
        },
      },
    },
  });
  document.body.dataset.chartReady = "1";
})();
