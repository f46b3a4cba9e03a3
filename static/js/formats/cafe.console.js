/* The console's World Café panel: tables, rounds, hosts, seating, the harvest and the dots
   on it. console.js calls Council.formatPanel on every change; the panel renders keyed vnodes. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h, K = C.kit;
  var int = K.int, people = K.people, personOptions = K.personOptions;

  C.formatPanel = function (s, tools) {
    var box = document.getElementById("format-section");
    box.hidden = false;
    var ctx = { s: s, step: s.session.step, act: tools.act };
    var ideas = s.ideas.filter(function (i) { return !i.hidden && i.review === "approved"; }).map(function (i) { return { id: i.id, text: i.text }; });
    C.fill(box, [h("h2", { key: "title", text: F.title })].concat(C.dots.panel(ctx, { steps: ["discuss"], top: true, targets: ideas }),
      cafePanel(ctx)));
  };

  /* World Café: set-up, hosts, seating, rounds, harvest. */
  function cafePanel(ctx) {
    var s = ctx.s, c = s.cafe, out = [], started = c.current > 0, early = ctx.step === "raise" || ctx.step === "discuss";
    if (!started && early) out.push(h(CafeSetup, { key: "setup", ctx: ctx }));
    if (c.rounds.length) {
      out.push(h("ol", { key: "rounds", className: "rounds" }, c.rounds.map(function (r) {
        return h("li", { key: r.number, className: r.number === c.current ? "current" : "", text: r.question + " · " + r.minutes + F.minutes });
      })));
    }
    if (!c.tables.length) return out;
    var shown = String(Math.max(c.current, 1)), seats = c.seats[shown] || {};
    out.push(h("h3", { key: "seating", text: F.seating + " · " + C.fmt(F.round_of, { n: shown, of: c.rounds.length }) }));
    out.push(h("ul", { key: "tables", className: "items" }, c.tables.map(function (t) {
      var here = Object.keys(seats).filter(function (p) { return seats[p] === t.id; }).map(function (p) { return c.names[p]; });
      var host = started || !early ? h("span", { key: "host-tag", className: "tag", text: F.host + ": " + (t.host || "—") })
        : h("select", { key: "host", "aria-label": F.host, "data-host": t.id, value: t.host_id ? String(t.host_id) : "", onchange: function (ev) {
          var p = { table_id: t.id };
          if (ev.target.value) p.participant_id = int(ev.target.value);
          ctx.act("cafe.host", p);
        } }, personOptions(s, F.no_host));
      return h("li", { key: t.id, className: "item", "data-table": t.id }, [h("b", { key: "name", text: t.name }), host,
        h("span", { key: "here", className: "text", text: here.join("、") })]);
    })));
    var seated = {};
    Object.keys(seats).forEach(function (p) { seated[p] = true; });
    var unseated = people(s).filter(function (p) { return !seated[String(p.id)]; });
    if (unseated.length && Object.keys(seats).length) out.push(h("p", { key: "unseated", className: "tag warn", text: F.no_seat + ": " + unseated.map(function (p) { return p.name; }).join("、") }));
    if (early) {
      out.push(h("p", { key: "seat", className: "row" }, [
        h("button", { key: "seat", type: "button", text: F.seat, onclick: function () { ctx.act("cafe.seat"); } }),
        ctx.step === "discuss" && c.current < c.rounds.length && s.dots.status === "ready"
          ? h("button", { key: "next", type: "button", className: "primary", text: F.next_round, onclick: function () { ctx.act("cafe.round"); } }) : null]));
    }
    if (started) out = out.concat(harvestPanel(ctx));
    return out;
  }

  /* The tables, one a line, and the rounds, `minutes | question` a line. */
  function CafeSetup(props) {
    var ctx = props.ctx, c = ctx.s.cafe;
    var d = K.useDraft({ tables: c.tables.map(function (t) { return t.name; }).join("\n"),
                         rounds: c.rounds.map(function (r) { return r.minutes + " | " + r.question; }).join("\n") });
    return h("form", { className: "stack", onsubmit: K.submit(function () {
      var rounds = C.lines(d.values.rounds).map(function (line) {
        var i = line.indexOf("|");
        return { minutes: int(i < 0 ? line : line.slice(0, i)) || 0, question: i < 0 ? "" : line.slice(i + 1).trim() };
      });
      ctx.act("cafe.setup", { tables: C.lines(d.values.tables), rounds: rounds }).then(function (r) { if (r.ok) d.done(); });
    }) }, [
      h("label", {}, [F.tables, h("textarea", Object.assign({ rows: "4" }, d.field("tables")))]),
      h("label", {}, [F.rounds, h("textarea", Object.assign({ rows: "4" }, d.field("rounds")))]),
      h("button", { type: "submit", text: F.save_setup })]);
  }

  /* An idea entered for a table without a phone. */
  function IdeaForm(props) {
    var ctx = props.ctx;
    return h("form", { className: "inline", onsubmit: K.submit(function (f) {
      ctx.act("idea.add", { table_id: int(f.elements.table.value), text: f.elements.text.value })
        .then(function (r) { if (r.ok) f.elements.text.value = ""; });
    }) }, [h("select", { name: "table", "aria-label": F.table }, ctx.s.cafe.tables.map(function (t) {
        return h("option", { key: t.id, value: t.id, text: t.name }); })),
      h("input", { name: "text", maxlength: "200", required: true, placeholder: F.idea_placeholder }),
      h("button", { type: "submit", text: F.add_idea })]);
  }

  function harvestPanel(ctx) {
    var s = ctx.s, c = s.cafe, out = [h("h3", { key: "gallery", text: F.gallery })], names = {};
    c.tables.forEach(function (t) { names[t.id] = t.name; });
    if (ctx.step === "discuss" && s.dots.status === "ready") out.push(h(IdeaForm, { key: "idea", ctx: ctx }));
    var harvested = s.ideas.filter(function (i) { return i.review === "approved"; });  // waiting ones: the moderation queue
    out.push(h("ul", { key: "ideas", className: "items" }, harvested.length ? harvested.map(function (i) {
      return h("li", { key: i.id, className: "item" + (i.hidden ? " muted" : ""), "data-idea": i.id }, [
        h("span", { key: "where", className: "tag", text: names[i.table_id] + " · " + i.round }), h("span", { key: "text", className: "text", text: i.text }),
        h("button", { key: "hide", type: "button", text: i.hidden ? T.show : T.hide, onclick: function () { ctx.act("idea.hide", { idea_id: i.id, hidden: !i.hidden }); } })]);
    }) : [h("li", { key: "empty", className: "empty", text: F.no_ideas })]));
    if (ctx.step === "discuss") out.push(h("p", { key: "ideas-become", className: "hint", text: F.ideas_become }));
    return out;
  }
})();
