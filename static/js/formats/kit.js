/* Small helpers the format panels share (loaded before them, after common.js). */
(function () {
  "use strict";
  var C = window.Council, h = C.el;

  function int(v) { return parseInt(v, 10); }
  function people(s) { return s.participants.list.filter(function (p) { return !p.left; }); }
  function personOptions(s, first) {
    return [first ? h("option", { value: "", text: first }) : null].concat(people(s).map(function (p) {
      return h("option", { value: p.id, text: p.name + (p.door ? " · " + p.door : "") }); }));
  }
  /* Refresh a select's options but keep what the facilitator picked. */
  function refill(select, options) {
    var v = select.value;
    C.place(select, options);
    if (v && select.querySelector('option[value="' + v + '"]')) select.value = v;
  }

  C.kit = { int: int, people: people, personOptions: personOptions, refill: refill };
})();
