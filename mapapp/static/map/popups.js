/* Popups and tooltips of each layer's features: every value from the data goes through esc(). */
(function (M) {
  "use strict";

  var CFG = M.cfg, t = M.t, esc = M.esc, num = M.num, vnd = M.vnd, label = M.label, withLang = M.withLang;

  function row(key, valueHtml) {
    return "<tr><th>" + esc(t(key)) + "</th><td>" + valueHtml + "</td></tr>";
  }
  function table(rows) { return '<table class="mapapp-popup-table">' + rows.join("") + "</table>"; }
  function title(text, sub) {
    return '<div class="mapapp-popup-title">' + esc(text) + "</div>" + (sub ? '<div class="mapapp-popup-sub">' + esc(sub) + "</div>" : "");
  }
  function chip(layer, value, prefix) {
    var style = (CFG.styles[layer] || {}).colors || {};
    return '<span class="mapapp-chip" style="background:' + esc(style[value] || "#999") + '"></span>' + esc(label(prefix, value));
  }
  function focusLink(layer, code) {
    return '<a class="mapapp-focus" href="' + esc(withLang("/?focus=" + encodeURIComponent(layer + ":" + code))) + '" data-layer="' + esc(layer) + '" data-code="' + esc(code) + '">' + esc(code) + "</a>";
  }
  /* A zone by its name in the page's language (from the zones layer), linked to it. */
  function zoneLink(code) {
    var name = M.zoneName(code);
    return focusLink("zones", code) + (name && name !== code ? " " + esc(name) : "");
  }
  function progressBar(actual, planned) {
    var a = Math.max(0, Math.min(100, Number(actual) || 0));
    var html = '<div class="mapapp-progress" title="' + esc(num(a, 1)) + ' %"><div class="mapapp-progress-done" style="width:' + a + '%"></div>';
    if (planned !== null && planned !== undefined) {
      html += '<div class="mapapp-progress-plan" style="left:' + Math.max(0, Math.min(100, planned)) + '%"></div>';
    }
    return html + '</div><div class="mapapp-progress-text">' + esc(num(a, 1)) + " %" +
      (planned !== null && planned !== undefined ? " / " + esc(t("field.schedule")) + " " + esc(num(planned, 1)) + " %" : "") + "</div>";
  }

  function sheetLink(layer, code) {
    return '<a class="mapapp-sheet-link" href="' + esc(withLang("/print?focus=" + encodeURIComponent(layer + ":" + code))) + '">' + esc(t("ui.print_sheet")) + "</a>";
  }

  M.popups = {
    boundaries: function (p) { return title(M.term(p.name), label("boundaries.level", p.level)); },
    zones: function (p) {
      var conflicts = p.conflicts || {};
      var keys = Object.keys(conflicts);
      var conflictHtml = keys.length ? keys.map(function (k) { return esc(t("conflict." + k)) + ": <b>" + esc(conflicts[k]) + "</b>"; }).join("<br>") : esc(t("ui.none"));
      if (keys.length) {
        conflictHtml += '<br><a href="' + esc(withLang("/conflicts?zone=" + encodeURIComponent(p.code))) + '">' + esc(t("ui.details")) + " →</a>";
      }
      return title(CFG.lang === "en" && p.name_en ? p.name_en : p.name, p.code) + table([
        row("field.kind", esc(label("zones.kind", p.kind))),
        row("field.status", chip("zones", p.status, "zones.status")),
        row("field.district", esc(M.district(p.district))),
        row("field.planned_area_ha", esc(num(p.planned_area_ha)) + " ha"),
        row("field.area", esc(num(p.area_ha)) + " ha"),
        row("field.lots", esc(num(p.lots_total, 0))),
        row("field.occupancy", p.occupancy_pct === null || p.occupancy_pct === undefined ? "—" : progressBar(p.occupancy_pct)),
        row("field.available_ha", esc(num(p.available_ha)) + " ha"),
        row("field.developer", esc(M.term(p.developer))),
        row("field.conflicts", conflictHtml),
      ].concat(p.cleared_share === null || p.cleared_share === undefined ? [] : [
        row("field.cleared_share", '<span class="mapapp-cleared-share">' + esc(num(100 * p.cleared_share, 1)) + " %</span>"),
        row("field.largest_cleared_block_ha", '<span class="mapapp-largest-block">' + esc(num(p.largest_cleared_block_ha)) + " ha</span>"),
        row("field.expected_handover", esc(p.expected_handover || "—")),
      ]).concat(p.units_as_of ? [row("field.units_as_of", esc(CFG.lang === "en" && p.units_as_of_en ? p.units_as_of_en : p.units_as_of))] : []));
    },
    lots: function (p) {
      return title(p.code, p.tenant || "") + table([
        row("field.status", chip("lots", p.status, "lots.status")),
        row("field.zone_code", zoneLink(p.zone_code)),
        row("field.land_use", esc(label("lots.land_use", p.land_use))),
        row("field.tenant", esc(p.tenant || "—")),
        row("field.area", esc(num(p.area_ha)) + " ha"),
        row("field.price_usd_m2", p.price_usd_m2 ? esc(num(p.price_usd_m2, 1)) : "—"),
      ].concat(p.ready === undefined ? [] : [
        row("field.ready", esc(t(p.ready ? "ui.yes" : "ui.no")) + (p.ready ? "" : " — " + esc(t("field.ready_expected")) + ": " + esc(p.ready_expected || "—"))),
      ]).concat(p.clearance_missing && p.clearance_missing.length ? [
        row("field.clearance_missing", p.clearance_missing.map(function (c) { return focusLink("clearance", c); }).join(", ")),
      ] : []).concat(p.units_as_of ? [row("field.units_as_of", esc(CFG.lang === "en" && p.units_as_of_en ? p.units_as_of_en : p.units_as_of))] : [])) + M.lotIssuesSlot(p.code) + sheetLink("lots", p.code);
    },
    clearance: function (p) {
      // owners, households and amounts are personal data: the API sends them to staff only
      var staff = Object.prototype.hasOwnProperty.call(p, "owner");
      return title(p.code, staff ? p.owner || "" : "") + table([
        row("field.status", chip("clearance_status", p.status, "clearance.status")),
        row("field.step", chip("clearance", M.styleValue("clearance", p), "clearance.step")),
        row("field.next_due", p.due_step ? esc(label("clearance.step", p.due_step)) + ": " + esc(p.next_due || "—") +
          (p.overdue ? ' <span class="mapapp-overdue-flag">' + esc(t("field.overdue")) + "</span>" : "") : "—"),
        row("field.zone_code", zoneLink(p.zone_code)),
        row("field.area", esc(num(p.area_ha)) + " ha"),
      ].concat(p.units_as_of ? [row("field.units_as_of", esc(CFG.lang === "en" && p.units_as_of_en ? p.units_as_of_en : p.units_as_of))] : []).concat(staff ? [
        row("field.owner", esc(p.owner || "—")),
        row("field.households", esc(num(p.households, 0))),
        row("field.compensation_vnd", esc(vnd(p.compensation_vnd))),
        row("field.paid_vnd", esc(vnd(p.paid_vnd))),
      ] : [])) + (staff ? '<a class="mapapp-record-step" href="' + esc(withLang("/clearance/parcels/" + encodeURIComponent(p.code))) + '">' + esc(t("ui.record_step")) + " →</a>" : "");
    },
    projects: function (p) {
      var status = p.schedule_status;
      var rows = [
        row("field.kind", esc(label("projects.kind", p.kind))),
        row("field.status", status ? chip("projects", status, "schedule") + (p.stale ? ' <span class="mapapp-stale">(' + esc(t("schedule.stale")) + ")</span>" : "") : esc(label("projects.status", p.status))),
        row("field.progress_pct", progressBar(p.actual_pct === undefined ? p.progress_pct : p.actual_pct, p.planned_pct)),
        row("field.schedule", esc(p.planned_start || "?") + " → " + esc(p.planned_end || "?")),
      ];
      if (p.days_late) rows.push(row("field.days_late", esc(num(p.days_late, 0))));
      if (p.length_m) rows.push(row("field.length", esc(num(p.length_m, 0)) + " m"));
      if (p.area_ha) rows.push(row("field.area", esc(num(p.area_ha)) + " ha"));
      if (p.blocked_by && p.blocked_by.length) {
        rows.push(row("field.blocked_by", '<span class="mapapp-blocked">' + p.blocked_by.map(function (c) { return focusLink("clearance", c); }).join(", ") + "</span>"));
      }
      rows.push(row("field.responsible", esc(M.unit(p.responsible))));
      if (p.zone_code) rows.push(row("field.zone_code", zoneLink(p.zone_code)));
      var link = '<a href="' + esc(withLang("/projects/" + encodeURIComponent(p.code))) + '">' + esc(t("ui.details")) + " →</a> " + sheetLink("projects", p.code);
      return title(CFG.lang === "en" && p.name_en ? p.name_en : p.name, p.code) + table(rows) + link;
    },
    conflicts: function (p) {
      var codes = p.codes || [], layers = p.layers || [];
      var links = codes.map(function (c, i) { return focusLink(layers[i] || "lots", c); }).join(" ↔ ");
      var hasArea = p.area_m2 !== null && p.area_m2 !== undefined, hasLength = p.length_m !== null && p.length_m !== undefined;
      var amount = hasArea ? esc(num(p.area_m2, 1)) + " m²" : (hasLength ? esc(num(p.length_m, 1)) + " m" : "—");
      return title(t("conflict." + p.type)) + '<div class="mapapp-popup-desc">' + esc(CFG.lang === "en" ? p.description_en : p.description) + "</div>" + table([
        row("field.severity", chip("conflicts", p.severity, "severity")),
        row("conflicts.features", links),  // what clashes, as the conflicts page heads it
        row(!hasArea && hasLength ? "field.length" : "field.area", amount),  // a crossing is a length, not an area
      ]);
    },
  };

  M.tooltip = function (layer, p) {
    if (layer === "zones" || layer === "projects") return esc(CFG.lang === "en" && p.name_en ? p.name_en : p.name);
    if (layer === "lots") return esc(p.code) + " · " + esc(label("lots.status", p.status));
    if (layer === "clearance") return esc(p.code) + " · " + esc(label("clearance.step", M.styleValue("clearance", p))) + " · " + esc(label("clearance.status", p.status));
    if (layer === "conflicts") return esc(t("conflict." + p.type));
    return esc(p.name || p.code);
  };
})(window.mapapp = window.mapapp || {});
