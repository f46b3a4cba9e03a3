/* The facilitator's issue inbox (诉求箱), live.

   The page joins its council's inbox room over Socket.IO. When it hears `inbox` (an issue
   raised, backed, entered, answered, escalated here from below…), and at every (re)connect, it
   fetches its own list again (`?live=1`: the same template as a reload, in this browser's
   language and login) and updates the page from it in place: cards are matched by id, the
   parts of a card by data-key (else by kind and position). A new card is inserted where the
   list has it; an existing one is updated, never replaced. What the facilitator is typing
   stays as typed: a field's value, focus and caret are the browser's own, and only the
   field's default (its `value` attribute) follows the server. */
(function () {
  "use strict";
  var root = document.getElementById("inbox-live");
  if (!root || !window.io) return;
  function readJSON(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : {}; }
  var boot = readJSON("inbox-boot"), T = readJSON("inbox-i18n");

  var socket = window.io({ auth: { role: "inbox", council_id: boot.council_id }, reconnectionDelayMax: 3000 });
  var fetching = false, again = false;

  function liveUrl() {
    var params = new URLSearchParams(window.location.search);
    params.set("live", "1");
    return window.location.pathname + "?" + params.toString();
  }

  /* One fetch at a time; a change heard meanwhile fetches once more after it. */
  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true; again = false;
    fetch(liveUrl(), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("inbox-live");
        if (fresh) update(root, fresh);  // a login page instead (logged out): leave the page as it is
      })
      .catch(function () { again = true; })  // offline a moment: the next connect fetches again
      .then(function () {
        fetching = false;
        if (again && socket.connected) refresh();
      });
  }

  function keyOf(node) {
    return node.nodeType === 1 ? (node.id || node.getAttribute("data-key") || null) : null;
  }

  function sameKind(a, b) {
    if (a.nodeType !== b.nodeType) return false;
    if (a.nodeType !== 1) return true;
    return a.tagName === b.tagName && !keyOf(a) && a.getAttribute("name") === b.getAttribute("name") &&
      a.getAttribute("type") === b.getAttribute("type");
  }

  /* Attributes as the server has them. `open` is the facilitator's (a details opened stays so);
     a field's `value` attribute is its default: the browser shows it only until typed in. */
  function syncAttributes(el, fresh) {
    var i, a;
    for (i = el.attributes.length - 1; i >= 0; i--) {
      a = el.attributes[i].name;
      if (a !== "open" && !fresh.hasAttribute(a)) el.removeAttribute(a);
    }
    for (i = 0; i < fresh.attributes.length; i++) {
      a = fresh.attributes[i];
      if (a.name !== "open" && el.getAttribute(a.name) !== a.value) el.setAttribute(a.name, a.value);
    }
  }

  function update(el, fresh) {
    if (el.nodeType !== 1) {
      if (el.nodeValue !== fresh.nodeValue) el.nodeValue = fresh.nodeValue;
      return;
    }
    syncAttributes(el, fresh);
    if (el.tagName === "TEXTAREA") {
      // its text is its default value: changed only while nobody has typed in it
      if (el.defaultValue !== fresh.defaultValue) el.defaultValue = fresh.defaultValue;
      return;
    }
    updateChildren(el, fresh);
  }

  /* The children of `el` become those of `fresh`, in its order: each matched old node is kept
     and updated, a new one is inserted, one no longer there is removed. */
  function updateChildren(el, fresh) {
    var byKey = {}, child, k, cursor = el.firstChild, incoming = Array.prototype.slice.call(fresh.childNodes);
    for (child = el.firstChild; child; child = child.nextSibling) {
      k = keyOf(child);
      if (k) byKey[k] = child;
    }
    incoming.forEach(function (node) {
      var key = keyOf(node), match = null;
      if (key) match = byKey[key] || null;
      else if (cursor && sameKind(cursor, node)) match = cursor;
      if (match === null) {
        el.insertBefore(document.importNode(node, true), cursor);
        return;
      }
      delete byKey[key];
      if (match === cursor) cursor = cursor.nextSibling;
      else el.insertBefore(match, cursor);  // out of order: only when the list's order changed
      update(match, node);
    });
    while (cursor) {
      child = cursor.nextSibling;
      el.removeChild(cursor);
      cursor = child;
    }
  }

  function connected(ok) {
    var el = document.getElementById("conn");
    if (!el) return;
    el.textContent = ok ? T.online : T.offline;
    el.className = "conn " + (ok ? "ok" : "bad");
  }

  socket.on("connect", function () { connected(true); refresh(); });  // also what was missed while away
  socket.on("disconnect", function () { connected(false); });
  socket.on("connect_error", function () { connected(false); });
  socket.on("inbox", refresh);
  // the day turns: the ages and the overdue flags move without anyone changing anything
  setTimeout(function day() { refresh(); setTimeout(day, 86400000); }, boot.next_day_ms || 86400000);
})();
