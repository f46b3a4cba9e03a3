/* The phone in a World Café: where to sit each round, the table's harvest, then dots on the
   ideas. phone.js calls Council.phoneFormats on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;
  var $ = function (id) { return document.getElementById(id); };
  var act = null;

  C.phoneFormats = function (s, me, step, send) {
    act = send;
    var out = cafe(s, me, step);
    C.fill($("format-list"), out);
    $("format-box").hidden = !out.length;
  };

  $("idea-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = ev.target.elements.text;
    act("idea.add", { text: box.value }).then(function (r) { if (r.ok) box.value = ""; });
  });

  function cafe(s, me, step) {
    var c = s.cafe, out = [], tables = {};
    (c.tables || []).forEach(function (t) { tables[t.id] = t.name; });
    $("idea-form").hidden = true;
    if ((step !== "discuss" && step !== "raise") || !c.rounds) return out;
    if (step === "discuss" && s.dots.status !== "ready") {
      return C.dots.cards(s, me, s.ideas.map(function (i) { return { id: i.id, text: i.text, label: tables[i.table_id] }; }), F.idea_dot_hint, act);
    }
    if (!c.current) {
      var first = (c.seats["1"] || {})[String(me.id)];
      if (step === "raise" && !first) return out;
      out.push(h("div", { key: "wait", className: "card go" }, [h("p", { className: "text", text: F.wait_round }),
        first ? h("p", { className: "text strong", text: C.fmt(F.first_at, { table: tables[first] }) }) : null]));
      return out;
    }
    var round = c.rounds[c.current - 1], mine = (c.seats[String(c.current)] || {})[String(me.id)];
    out.push(h("div", { key: "round", className: "card go", "data-round": c.current }, [
      h("p", { className: "text strong", text: mine ? C.fmt(F.go_to, { n: c.current, table: tables[mine], question: round.question })
        : C.fmt(F.round_of, { n: c.current, of: c.rounds.length }) + " · " + round.question }),
      mine ? null : h("p", { className: "note", text: F.no_seat })]));
    if (!mine) return out;
    $("idea-form").hidden = false;
    var here = s.ideas.filter(function (i) { return i.table_id === mine && i.round === c.current; });
    out.push(h("h3", { key: "harvest", text: F.harvest + " · " + tables[mine] }));
    return out.concat(here.length ? here.map(function (i) { return h("div", { key: i.id, className: "card", text: i.text }); })
      : [h("p", { key: "none", className: "empty", text: F.no_ideas })]);
  }
})();
