/* The console's World Café panel: tables, rounds, hosts, seating, the harvest and the dots
   on it. console.js calls Council.formatPanel on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.el, K = C.kit;
  var int = K.int, people = K.people, personOptions = K.personOptions, refill = K.refill;

  C.formatPanel = function (s, tools) {
    var box = document.getElementById("format-section");
    box.hidden = false;
    var step = s.session.step, ctx = { s: s, step: step, act: tools.act, keep: tools.keep, editing: tools.editing, saved: tools.saved };
    var ideas = s.ideas.filter(function (i) { return !i.hidden; }).map(function (i) { return { id: i.id, text: i.text }; });
    C.place(box, [h("h2", { text: F.title })].concat(C.dots.panel(ctx, { steps: ["discuss"], top: true, targets: ideas }),
      cafePanel(ctx)));
  };

  /* World Café: set-up, hosts, seating, rounds, harvest. */
  function cafePanel(ctx) {
    var s = ctx.s, c = s.cafe, out = [], started = c.current > 0;
    if (!started && (ctx.step === "raise" || ctx.step === "discuss")) {
      var setup = ctx.keep("cafe-setup", function () {
        var f = h("form", { className: "stack" }, [
          h("label", {}, [F.tables, h("textarea", { name: "tables", rows: "4" })]),
          h("label", {}, [F.rounds, h("textarea", { name: "rounds", rows: "4" })]),
          h("button", { type: "submit", text: F.save_setup })]);
        f.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var rounds = C.lines(f.elements.rounds.value).map(function (line) {
            var i = line.indexOf("|");
            return { minutes: int(i < 0 ? line : line.slice(0, i)) || 0, question: i < 0 ? "" : line.slice(i + 1).trim() };
          });
          ctx.act("cafe.setup", { tables: C.lines(f.elements.tables.value), rounds: rounds }).then(function (r) { if (r.ok) ctx.saved(f); });
        });
        return f;
      });
      if (!ctx.editing(setup)) {
        setup.elements.tables.value = c.tables.map(function (t) { return t.name; }).join("\n");
        setup.elements.rounds.value = c.rounds.map(function (r) { return r.minutes + " | " + r.question; }).join("\n");
      }
      out.push(setup);
    }
    if (c.rounds.length) {
      out.push(h("ol", { className: "rounds" }, c.rounds.map(function (r) {
        return h("li", { className: r.number === c.current ? "current" : "", text: r.question + " · " + r.minutes + F.minutes });
      })));
    }
    if (!c.tables.length) return out;
    var shown = String(Math.max(c.current, 1)), seats = c.seats[shown] || {};
    out.push(h("h3", { text: F.seating + " · " + C.fmt(F.round_of, { n: shown, of: c.rounds.length }) }));
    out.push(h("ul", { className: "items" }, c.tables.map(function (t) {
      var here = Object.keys(seats).filter(function (p) { return seats[p] === t.id; }).map(function (p) { return c.names[p]; });
      var host = started || !(ctx.step === "raise" || ctx.step === "discuss") ? h("span", { className: "tag", text: F.host + ": " + (t.host || "—") })
        : h("select", { "aria-label": F.host, "data-host": t.id, onchange: function (ev) {
          var p = { table_id: t.id };
          if (ev.target.value) p.participant_id = int(ev.target.value);
          ctx.act("cafe.host", p);
        } }, personOptions(s, F.no_host));
      if (host.tagName === "SELECT") host.value = t.host_id || "";
      return h("li", { className: "item", "data-table": t.id }, [h("b", { text: t.name }), host,
        h("span", { className: "text", text: here.join("、") })]);
    })));
    var seated = {};
    Object.keys(seats).forEach(function (p) { seated[p] = true; });
    var unseated = people(s).filter(function (p) { return !seated[String(p.id)]; });
    if (unseated.length && Object.keys(seats).length) out.push(h("p", { className: "tag warn", text: F.no_seat + ": " + unseated.map(function (p) { return p.name; }).join("、") }));
    if (ctx.step === "raise" || ctx.step === "discuss") {
      out.push(h("p", { className: "row" }, [
        h("button", { type: "button", text: F.seat, onclick: function () { ctx.act("cafe.seat"); } }),
        ctx.step === "discuss" && c.current < c.rounds.length && s.dots.status === "ready"
          ? h("button", { type: "button", className: "primary", text: F.next_round, onclick: function () { ctx.act("cafe.round"); } }) : null]));
    }
    if (started) out = out.concat(harvestPanel(ctx));
    return out;
  }

  function harvestPanel(ctx) {
    var s = ctx.s, c = s.cafe, out = [h("h3", { text: F.gallery })], names = {};
    c.tables.forEach(function (t) { names[t.id] = t.name; });
    if (ctx.step === "discuss" && s.dots.status === "ready") {
      var form = ctx.keep("idea", function () {
        var f = h("form", { className: "inline" }, [h("select", { name: "table", "aria-label": F.table }),
          h("input", { name: "text", maxlength: "200", required: true, placeholder: F.idea_placeholder }),
          h("button", { type: "submit", text: F.add_idea })]);
        f.addEventListener("submit", function (ev) {
          ev.preventDefault();
          ctx.act("idea.add", { table_id: int(f.elements.table.value), text: f.elements.text.value })
            .then(function (r) { if (r.ok) { f.elements.text.value = ""; ctx.saved(f); } });
        });
        return f;
      });
      if (!ctx.editing(form)) refill(form.elements.table, c.tables.map(function (t) { return h("option", { value: t.id, text: t.name }); }));
      out.push(form);
    }
    out.push(h("ul", { className: "items" }, s.ideas.length ? s.ideas.map(function (i) {
      return h("li", { className: "item" + (i.hidden ? " muted" : ""), "data-idea": i.id }, [
        h("span", { className: "tag", text: names[i.table_id] + " · " + i.round }), h("span", { className: "text", text: i.text }),
        h("button", { type: "button", text: i.hidden ? T.show : T.hide, onclick: function () { ctx.act("idea.hide", { idea_id: i.id, hidden: !i.hidden }); } })]);
    }) : [h("li", { className: "empty", text: F.no_ideas })]));
    if (ctx.step === "discuss") out.push(h("p", { className: "hint", text: F.ideas_become }));
    return out;
  }
})();
