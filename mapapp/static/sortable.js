/* Click a column header of a .sortable table to sort by it; click again to reverse. */
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
      th.addEventListener("click", function () {
        var numeric = th.dataset.sort === "num";
        var dir = th.dataset.dir === "asc" ? "desc" : "asc";
        table.querySelectorAll("th").forEach(function (other) { delete other.dataset.dir; });
        th.dataset.dir = dir;
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var vx = x.dataset.value !== undefined ? x.dataset.value : x.textContent.trim();
          var vy = y.dataset.value !== undefined ? y.dataset.value : y.textContent.trim();
          var cmp = numeric || (x.dataset.value !== undefined && !isNaN(vx) && !isNaN(vy)) ? Number(vx) - Number(vy) : vx.localeCompare(vy, document.documentElement.lang);
          return dir === "asc" ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
