/* Small helpers the format panels share (loaded before them, after common.js). */
(function () {
  "use strict";
  var C = window.Council, h = C.h;

  function int(v) { return parseInt(v, 10); }
  function people(s) { return s.participants.list.filter(function (p) { return !p.left; }); }
  /* Who is here, as keyed options (a select keeps its choice while residents keep joining). */
  function personOptions(s, first) {
    return [first ? h("option", { key: "", value: "", text: first }) : null].concat(people(s).map(function (p) {
      return h("option", { key: p.id, value: p.id, text: p.name + (p.door ? " · " + p.door : "") }); }));
  }
  /* A submit handler that gets the form itself. */
  function submit(fn) { return function (ev) { ev.preventDefault(); fn(ev.currentTarget); }; }
  /* A form's fields as the console keeps them (console.js: the server's values until the
     facilitator changes one, then theirs until saved). Called while rendering, when console.js
     has loaded. */
  function useDraft(server) { return C.useDraft(server); }

  C.kit = { int: int, people: people, personOptions: personOptions, submit: submit, useDraft: useDraft };
})();
