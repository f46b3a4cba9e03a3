/* The projector in a World Café: the round, its question, the table map and the harvest
   gallery; then the live dot ranking of the ideas. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;

  /* The stage for this moment, or null where the plain five-step view fits. */
  C.projectorStage = function (s) {
    return s.session.step === "discuss" ? cafe(s) : null;
  };

  function cafe(s) {
    var c = s.cafe, names = {};
    (c.tables || []).forEach(function (t) { names[t.id] = t.name; });
    if (s.dots.status !== "ready") {
      return [h("h2", { text: F.dots })].concat(C.dots.ranking(s, s.ideas.map(function (i) { return { id: i.id, text: i.text, label: names[i.table_id] }; })));
    }
    if (!c.rounds || !c.rounds.length || !c.tables.length) return null;
    var n = Math.max(c.current, 1), round = c.rounds[n - 1], seats = c.seats[String(n)] || {}, count = {};
    Object.keys(seats).forEach(function (p) { count[seats[p]] = (count[seats[p]] || 0) + 1; });
    var ideas = s.ideas.slice().reverse();  // newest first: what a table just wrote is always on screen
    return [h("div", { className: "round" }, [h("span", { className: "step", text: C.fmt(F.round_of, { n: n, of: c.rounds.length }) }),
        c.current ? null : h("span", { className: "soon", text: " " + F.wait_round }),
        h("h2", { className: "question", text: round.question })]),
      h("ul", { className: "tables" }, c.tables.map(function (t) {
        return h("li", { "data-table": t.id }, [h("b", { text: t.name }),
          h("span", { text: (t.host ? F.host + " " + t.host + " · " : "") + C.fmt(F.people_n, { n: count[t.id] || 0 }) })]);
      })),
      c.current ? h("h3", { text: F.gallery + " · " + ideas.length }) : null,
      c.current ? h("ul", { className: "wall gallery" + (ideas.length > 30 ? " denser" : ideas.length > 12 ? " dense" : "") }, ideas.map(function (i) {
        return h("li", { "data-idea": i.id }, [h("span", { className: "text", text: i.text }), h("span", { className: "label", text: names[i.table_id] })]);
      })) : null];
  }
})();
