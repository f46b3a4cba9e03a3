/* The projector in an Open Space or a World Café: the live dot ranking, the agenda wall
   with headcounts; the round, its question, the table map and the harvest gallery. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;

  /* The stage for this moment, or null where the plain five-step view fits. */
  C.projectorStage = function (s) {
    var step = s.session.step;
    if (step !== "raise" && step !== "discuss") return null;
    if (s.session.format === "openspace") return openSpace(s, step);
    if (s.session.format === "cafe" && step === "discuss") return cafe(s);
    return null;
  };

  function ranking(s, items) {
    var text = {};
    items.forEach(function (i) { text[i.id] = i; });
    var d = s.dots;
    return [h("p", { className: "total", text: F.dots_status[d.status] + " · " + d.voters + " " + T.participants }),
      h("ol", { className: "ranking" }, d.ranking.filter(function (r) { return text[r.id]; }).map(function (r) {
        return h("li", { "data-target": r.id }, [h("span", { className: "text", text: text[r.id].text }),
          text[r.id].label ? h("span", { className: "label", text: text[r.id].label }) : null,
          h("b", { className: "supports", text: String(r.dots) })]);
      }))];
  }

  function openSpace(s, step) {
    var a = s.agenda;
    if (step === "discuss" && a.groups && a.groups.length) {
      var at = {};
      a.groups.forEach(function (g) { at[g.space_id + ":" + g.slot_id] = g; });
      return [h("table", { className: "agenda" }, [
        h("thead", {}, [h("tr", {}, [h("th")].concat(a.spaces.map(function (sp) { return h("th", { text: sp.name }); })))]),
        h("tbody", {}, a.slots.map(function (slot) {
          return h("tr", {}, [h("th", { text: slot.name })].concat(a.spaces.map(function (sp) {
            var g = at[sp.id + ":" + slot.id];
            return h("td", { "data-group": g ? g.id : null }, g ? [h("b", { text: g.topic }),
              h("span", { className: "who", text: g.convener }),
              h("span", { className: "heads", text: C.fmt(F.people_n, { n: g.headcount }) })] : []);
          })));
        }))])];
    }
    if (s.dots.status === "ready") return null;
    return ranking(s, s.topics.map(function (t) { return { id: t.id, text: t.text, label: "" }; }));
  }

  function cafe(s) {
    var c = s.cafe, names = {};
    (c.tables || []).forEach(function (t) { names[t.id] = t.name; });
    if (s.dots.status !== "ready") {
      return [h("h2", { text: F.dots })].concat(ranking(s, s.ideas.map(function (i) { return { id: i.id, text: i.text, label: names[i.table_id] }; })));
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
