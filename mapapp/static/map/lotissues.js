/* A lot's problems in its popup and print sheet: the conflicts it is part of and the parcels not yet
 * cleared under it, asked from /lots/<code>/issues once the popup is open. */
(function (M) {
  "use strict";

  var t = M.t, esc = M.esc, num = M.num, withLang = M.withLang;

  function lines(data) {
    var out = (data.conflicts || []).map(function (c) {
      var amount = c.area_m2 !== null && c.area_m2 !== undefined ? num(c.area_m2, 1) + " m²" :
        (c.length_m !== null && c.length_m !== undefined ? num(c.length_m, 1) + " m" : "—");
      return t("lot.issue.conflict").replace("{type}", t("conflict." + c.type)).replace("{amount}", amount)
        .replace("{others}", (c.others || []).join(", ") || "—");
    });
    (data.uncleared || []).forEach(function (p) {
      out.push(t("lot.issue.uncleared").replace("{code}", p.code).replace("{status}", t("clearance.status." + p.status))
        .replace("{amount}", num(p.area_m2, 1) + " m²"));
    });
    return out;
  }

  var cache = {};  // lot code -> its problems, as answered

  /* The slot a lot popup carries: filled from the cache when the answer is already there. */
  M.lotIssuesSlot = function (code) {
    var data = cache[code];
    if (!data) return '<div class="mapapp-lot-issues" data-code="' + esc(code) + '"><b>' + esc(t("lot.issues")) + ":</b> …</div>";
    var found = lines(data);
    return '<div class="mapapp-lot-issues' + (found.length ? " mapapp-lot-issues-bad" : "") + '" data-code="' + esc(code) + '" data-filled="' + found.length + '">' +
      "<b>" + esc(t("lot.issues")) + ":</b> " + (found.length ?
      "<ul>" + found.map(function (l) { return "<li>" + esc(l) + "</li>"; }).join("") + "</ul>" : esc(t("lot.issues_none"))) + "</div>";
  };

  /* Fill every empty issues slot under ``root``; resolves with the codes newly answered. */
  M.fillLotIssues = function (root) {
    var slots = root ? root.querySelectorAll(".mapapp-lot-issues[data-code]:not([data-filled])") : [];
    return Promise.all(Array.prototype.map.call(slots, function (slot) {
      var code = slot.dataset.code;
      return fetch(withLang("/lots/" + encodeURIComponent(code) + "/issues")).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      }).then(function (data) {
        cache[code] = data;
        slot.outerHTML = M.lotIssuesSlot(code);
        return code;
      }).catch(function (err) {
        slot.dataset.filled = "error";
        slot.textContent = t("ui.load_failed") + " (" + err.message + ")";
        return null;
      });
    })).then(function (codes) { return codes.filter(Boolean); });
  };
})(window.mapapp = window.mapapp || {});
