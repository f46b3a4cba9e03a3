/* The facilitator's issue inbox (诉求箱), live.

   The page joins its council's inbox room over Socket.IO. When it hears `inbox` (an issue
   raised, backed, entered, answered, escalated here from below…), and at every (re)connect, it
   fetches its own list again (`?live=1`: the same template as a reload, in this browser's
   language and login) and morphs the page into it in place with the vendored Idiomorph: cards
   are matched by id; a new card is inserted where the list has it, an existing one is updated,
   never replaced. What the facilitator is typing stays as typed: a field typed in is left as
   it is, the focused one keeps its value, focus and caret. */
(function () {
  "use strict";
  var root = document.getElementById("inbox-live");
  if (!root || !window.io || !window.Idiomorph) return;
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

  /* A field the facilitator has typed in (or a choice changed) keeps what they typed until they
     send it, focused or not; every other node follows the server. */
  function touched(el) {
    if (el.nodeType !== 1) return false;
    if (el.tagName === "TEXTAREA") return el.value !== el.defaultValue;
    if (el.tagName === "SELECT") {
      return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
    }
    if (el.tagName !== "INPUT") return false;
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    return !/^(hidden|submit|button|file)$/.test(el.type) && el.value !== el.defaultValue;
  }

  /* The list becomes the server's, matched by id (each card is `issue-<id>`): a new card is
     inserted where the list has it, an existing one is morphed in place, never replaced. */
  function update(el, fresh) {
    window.Idiomorph.morph(el, fresh, {
      morphStyle: "outerHTML",
      ignoreActiveValue: true,  // the field with the caret keeps its value, focus and caret
      callbacks: {
        beforeNodeMorphed: function (old) { return !touched(old); },
        // `open` is the facilitator's: a details opened (a form unfolded) stays so
        beforeAttributeUpdated: function (name) { return name !== "open"; }
      }
    });
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
