/* Staff editing from a popup: a lot's or a parcel's status, through the API's one write path.
 *
 * Shown only to signed-in staff (the page's body carries their role). The edit reads the
 * feature's ETag first and sends it as If-Match, so a change made meanwhile by someone else
 * is refused (412) and said, never overwritten; warnings (409) are shown and confirmed. */
(function (M) {
  "use strict";

  var t = M.t, esc = M.esc;
  var EDITABLE = {
    lots: { field: "status", values: ["available", "reserved", "leased"], prefix: "lots.status" },
    clearance: { field: "status", values: ["not_started", "negotiating", "compensated", "cleared", "disputed"], prefix: "clearance.status" },
  };
  var EDIT_ROLES = ["planner", "leader", "admin"];
  var saved = null;  // "layer:code" just saved: its reopened popup says so

  function role() { return document.body.dataset.role || ""; }
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function layerOf(source) {
    var found = null;
    Object.keys(M.state.layers).forEach(function (name) {
      if (M.state.layers[name].hasLayer(source)) found = name;
    });
    return found;
  }

  function message(box, cls, html) {
    var p = box.querySelector(".mapapp-edit-message") || box.appendChild(document.createElement("div"));
    p.className = "mapapp-edit-message " + cls;
    p.innerHTML = html;
  }

  // the warnings in the page's language (warning_messages), else the English ones every client gets (warnings)
  function warningsIn(data) {
    return (data.warning_messages && data.warning_messages[M.cfg.lang || "vi"]) || data.warnings;
  }

  function send(box, name, code, value, etag, confirm) {
    var body = {};
    body[EDITABLE[name].field] = value;
    if (confirm) body.confirm = true;
    return fetch("/api/layers/" + encodeURIComponent(name) + "/" + encodeURIComponent(code), {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "If-Match": etag, "X-CSRFToken": csrf() },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (answer) {
      if (answer.status === 200) {
        M.load(name).then(function () { saved = name + ":" + code; M.focus(name, code); });
        return;
      }
      if (answer.status === 409 && answer.data.warnings) {
        message(box, "mapapp-edit-warning", esc(t("edit.warnings")) + "<ul>" + warningsIn(answer.data).map(function (w) {
          return "<li>" + esc(w) + "</li>";
        }).join("") + '</ul><button type="button" class="mapapp-edit-confirm">' + esc(t("edit.confirm")) + "</button>");
        box.querySelector(".mapapp-edit-confirm").addEventListener("click", function () { send(box, name, code, value, etag, true); });
        return;
      }
      // the refusal in the page's language (message), else the English line every client gets (error)
      var localized = answer.data.message && answer.data.message[M.cfg.lang || "vi"];
      var refused = esc(localized || answer.data.error || ("HTTP " + answer.status));
      if (name === "clearance" && answer.status === 400) {
        // a parcel's status follows its recorded steps: the way forward is its page, where a step is recorded
        refused += ' <a class="mapapp-edit-steps" href="/clearance/parcels/' + encodeURIComponent(code) + "?lang=" +
          encodeURIComponent(M.cfg.lang || "vi") + '">' + esc(t("edit.record_step")) + "</a>";
      }
      message(box, "mapapp-edit-error", refused);
    }).catch(function (err) { message(box, "mapapp-edit-error", esc(err.message)); });
  }

  function startEdit(box, name, code) {
    var spec = EDITABLE[name];
    fetch("/api/layers/" + encodeURIComponent(name) + "/" + encodeURIComponent(code), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      var etag = response.headers.get("ETag");
      return response.json().then(function (feature) { return { etag: etag, props: feature.properties }; });
    }).then(function (got) {
      var options = spec.values.map(function (v) {
        return '<option value="' + esc(v) + '"' + (v === got.props[spec.field] ? " selected" : "") + ">" + esc(t(spec.prefix + "." + v)) + "</option>";
      }).join("");
      box.innerHTML = '<label>' + esc(t("field.status")) + ' <select class="mapapp-edit-status">' + options + "</select></label> " +
        '<button type="button" class="mapapp-edit-save">' + esc(t("edit.save")) + "</button>";
      relayout(M.map._popup || {});
      box.querySelector(".mapapp-edit-save").addEventListener("click", function () {
        send(box, name, code, box.querySelector(".mapapp-edit-status").value, got.etag, false);
      });
    }).catch(function (err) { message(box, "mapapp-edit-error", esc(err.message)); });
  }

  /* The popup grew: size and place it again. Not popup.update(), which would rebuild the content
   * from the layer's popup function and drop what was added here. */
  function relayout(popup) {
    if (popup._updateLayout) popup._updateLayout();
    if (popup._updatePosition) popup._updatePosition();
    if (popup._adjustPan) popup._adjustPan();
  }

  /* Add the edit controls to a popup's content. Other handlers rebuild the content (popup.update():
   * placement, the lot's problems arriving), so this runs again on every "contentupdate" and puts
   * back the same box, with whatever the user had started in it (a status chosen, a warning shown). */
  function decorate(popup) {
    if (EDIT_ROLES.indexOf(role()) < 0) return;
    var source = popup._source;
    var name = source && layerOf(source);
    if (!name || !EDITABLE[name] || !source.feature || !popup.getElement()) return;
    var code = String(source.feature.properties.code);
    var content = popup.getElement().querySelector(".leaflet-popup-content");
    if (!content || content.querySelector(".mapapp-edit")) return;
    var box = popup._mapappEditBox;
    if (!box || box.dataset.key !== name + ":" + code) {
      box = popup._mapappEditBox = document.createElement("div");
      box.className = "mapapp-edit";
      box.dataset.key = name + ":" + code;
      var history = "/history/" + encodeURIComponent(name) + "/" + encodeURIComponent(code) + "?lang=" + encodeURIComponent(M.cfg.lang || "vi");
      box.innerHTML = (saved === name + ":" + code ? '<div class="mapapp-edit-saved" role="status">' + esc(t("edit.saved")) + "</div>" : "") +
        '<button type="button" class="mapapp-edit-start">' + esc(t("edit.title")) + "</button> " +
        '<a class="mapapp-edit-history" href="' + esc(history) + '">' + esc(t("history.link")) + "</a>";
      box.querySelector(".mapapp-edit-start").addEventListener("click", function () { startEdit(box, name, code); });
      L.DomEvent.disableClickPropagation(box);
    }
    content.appendChild(box);
    relayout(popup);
  }

  function onPopup(ev) {
    var popup = ev.popup;
    if (!popup._mapappEdit) {
      popup._mapappEdit = true;
      popup.on("contentupdate", function () { decorate(popup); });
    }
    decorate(popup);
  }

  M.edit = {
    attach: function (map) {
      map.on("popupopen", onPopup);
      map.on("popupclose", function (ev) {  // "saved" shows once, in the reopened popup; a closed popup starts afresh
        saved = null;
        ev.popup._mapappEditBox = null;
      });
    },
  };
})(window.mapapp = window.mapapp || {});
