/* The console's Open Space and World Café panels: dots, agenda wall, reports; tables,
   rounds, seating and harvest. console.js calls Council.formatPanel on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;

  function int(v) { return parseInt(v, 10); }
  function people(s) { return s.participants.list.filter(function (p) { return !p.left; }); }
  function personOptions(s, first) {
    return [first ? h("option", { value: "", text: first }) : null].concat(people(s).map(function (p) {
      return h("option", { value: p.id, text: p.name + (p.door ? " · " + p.door : "") }); }));
  }
  /* Refresh a select's options but keep what the facilitator picked. */
  function refill(select, options) {
    var v = select.value;
    C.fill(select, options);
    if (v && select.querySelector('option[value="' + v + '"]')) select.value = v;
  }

  C.formatPanel = function (s, tools) {
    var box = document.getElementById("format-section"), format = s.session.format;
    box.hidden = format === "plain";
    if (format === "plain") return;
    var step = s.session.step, ctx = { s: s, step: step, act: tools.act, keep: tools.keep, editing: tools.editing, saved: tools.saved };
    var parts = [h("h2", { text: F.formats[format] })].concat(dotPanel(ctx));
    parts = parts.concat(format === "openspace" ? agendaPanel(ctx) : cafePanel(ctx));
    C.fill(box, parts);
    var topicFor = document.querySelector("#topic-form select[name=participant_id]");
    if (topicFor) { topicFor.hidden = format !== "openspace"; refill(topicFor, personOptions(s, F.no_convener)); }
  };

  function targets(ctx) {
    var s = ctx.s;
    return s.session.format === "openspace"
      ? s.topics.filter(function (t) { return !t.hidden && !t.merged_into; }).map(function (t) { return { id: t.id, text: t.text }; })
      : s.ideas.filter(function (i) { return !i.hidden; }).map(function (i) { return { id: i.id, text: i.text }; });
  }

  function dotPanel(ctx) {
    var d = ctx.s.dots, out = [], steps = ctx.s.session.format === "openspace" ? ["raise", "discuss"] : ["discuss"];
    if (steps.indexOf(ctx.step) < 0 || !d.status) return out;
    var rules = ctx.keep("dot-rules", function () {
      var f = h("form", { className: "inline" }, [
        h("label", { className: "num" }, [F.dot_rules, h("input", { type: "number", min: "1", max: "20", name: "dots" })]),
        h("label", { className: "num" }, [F.per_topic, h("input", { type: "number", min: "1", max: "20", name: "per_topic" })]),
        ctx.s.session.format === "cafe" ? h("label", { className: "num" }, [F.top_ideas, h("input", { type: "number", min: "1", max: "50", name: "top" })]) : null,
        h("button", { type: "submit", text: T.save })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var e = f.elements, p = { dots: int(e.dots.value), per_topic: int(e.per_topic.value) };
        if (e.top) p.top = int(e.top.value);
        ctx.act("dots.rules", p).then(function (r) { if (r.ok) ctx.saved(f); });
      });
      return f;
    });
    if (!ctx.editing(rules)) {
      rules.elements.dots.value = d.dots; rules.elements.per_topic.value = d.per_topic;
      if (rules.elements.top) rules.elements.top.value = d.top;
    }
    out.push(h("h3", { text: F.dots }), rules, h("p", { className: "row" }, [
      h("span", { className: "tag", text: F.dots_status[d.status] + " · " + d.voters + " " + T.participants }),
      h("button", { type: "button", className: d.status === "open" ? "" : "primary", text: d.status === "open" ? F.close_dots : F.open_dots,
        onclick: function () { ctx.act("dots.open", { open: d.status !== "open" }); } })]));
    var text = {};
    targets(ctx).forEach(function (t) { text[t.id] = t.text; });
    out.push(h("ol", { className: "ranking" }, d.ranking.map(function (r) {
      return h("li", { "data-target": r.id }, [h("b", { text: String(r.dots) }), " ", text[r.id] || ""]);
    })));
    if (d.status === "open") {
      var enter = ctx.keep("dot-enter", function () {
        var f = h("form", { className: "inline" }, [h("b", { text: F.enter_dots }), h("select", { name: "participant", required: true }),
          h("select", { name: "target", required: true }),
          h("input", { type: "number", name: "count", min: "0", max: "20", value: "1", "aria-label": F.dots }),
          h("button", { type: "submit", text: T.save })]);
        f.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var e = f.elements;
          ctx.act("dot.enter", { participant_id: int(e.participant.value), target_id: int(e.target.value), count: int(e.count.value || "0") })
            .then(function (r) { if (r.ok) ctx.saved(f); });
        });
        return f;
      });
      if (!ctx.editing(enter)) {
        refill(enter.elements.participant, personOptions(ctx.s));
        refill(enter.elements.target, targets(ctx).map(function (t) { return h("option", { value: t.id, text: "#" + t.id + " " + t.text.slice(0, 30) }); }));
      }
      out.push(enter);
    }
    return out;
  }

  /* Open Space: spaces and slots, the wall as a grid, the reports. */
  function agendaPanel(ctx) {
    var s = ctx.s, a = s.agenda, out = [h("h3", { text: F.agenda })];
    if (ctx.step !== "raise" && ctx.step !== "discuss") return out.concat(reportsView(a));
    var setup = ctx.keep("wall", function () {
      var f = h("form", { className: "stack" }, [
        h("label", {}, [F.spaces, h("textarea", { name: "spaces", rows: "3" })]),
        h("label", {}, [F.slots, h("textarea", { name: "slots", rows: "3" })]),
        h("span", { className: "row" }, [h("button", { type: "submit", text: F.save_wall }),
          h("button", { type: "button", className: "primary", text: F.place_by_dots, onclick: function () { ctx.act("agenda.place"); } })])]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        ctx.act("agenda.setup", { spaces: C.lines(f.elements.spaces.value), slots: C.lines(f.elements.slots.value) })
          .then(function (r) { if (r.ok) ctx.saved(f); });
      });
      return f;
    });
    if (!ctx.editing(setup)) {
      setup.elements.spaces.value = a.spaces.map(function (x) { return x.name; }).join("\n");
      setup.elements.slots.value = a.slots.map(function (x) { return x.name; }).join("\n");
    }
    out.push(setup);
    if (!a.spaces.length) return out;
    var cells = [];
    a.slots.forEach(function (slot) { a.spaces.forEach(function (space) { cells.push({ space: space, slot: slot }); }); });
    function moveSelect(topicId) {
      return h("select", { "aria-label": F.move_to, onchange: function (ev) {
        var v = ev.target.value;
        if (v === "off") ctx.act("agenda.move", { topic_id: topicId });
        else if (v) { var c = v.split(":"); ctx.act("agenda.move", { topic_id: topicId, space_id: int(c[0]), slot_id: int(c[1]) }); }
      } }, [h("option", { value: "", text: F.move_to })].concat(cells.map(function (c) {
        return h("option", { value: c.space.id + ":" + c.slot.id, text: c.slot.name + " · " + c.space.name }); }))
        .concat([h("option", { value: "off", text: F.off_wall })]));
    }
    var at = {};
    a.groups.forEach(function (g) { at[g.space_id + ":" + g.slot_id] = g; });
    out.push(h("table", { className: "list wall-grid" }, [
      h("thead", {}, [h("tr", {}, [h("th")].concat(a.spaces.map(function (sp) { return h("th", { text: sp.name }); })))]),
      h("tbody", {}, a.slots.map(function (slot) {
        return h("tr", {}, [h("th", { text: slot.name })].concat(a.spaces.map(function (sp) {
          var g = at[sp.id + ":" + slot.id];
          return h("td", { "data-cell": sp.id + ":" + slot.id }, g ? [h("b", { text: g.topic }),
            h("div", { className: "count", text: F.convener + ": " + (g.convener || "—") + " · " + C.fmt(F.people_n, { n: g.headcount }) }),
            moveSelect(g.topic_id)] : []);
        })));
      }))]));
    var placed = {};
    a.groups.forEach(function (g) { placed[g.topic_id] = true; });
    var waiting = s.topics.filter(function (t) { return !t.hidden && !t.merged_into && !placed[t.id]; });
    if (waiting.length) {
      out.push(h("p", { className: "hint", text: F.not_placed }), h("ul", { className: "items" }, waiting.map(function (t) {
        return h("li", { className: "item" }, [h("span", { className: "text", text: t.text }), moveSelect(t.id)]);
      })));
    }
    if (ctx.step === "discuss") {
      a.groups.forEach(function (g) { out.push(reportForm(ctx, g)); });
      out.push(h("p", { className: "hint", text: F.needs_become }));
    }
    return out;
  }

  function reportForm(ctx, g) {
    var form = ctx.keep("report:" + g.id, function () {
      var f = h("form", { className: "stack report", "data-group": g.id }, [h("b", { className: "topic" }),
        h("label", {}, [F.key_points, h("textarea", { name: "points", rows: "3" })]),
        h("label", {}, [F.needs, h("textarea", { name: "needs", rows: "2" })]),
        h("button", { type: "submit", text: F.save_report })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        ctx.act("report.save", { group_id: g.id, points: C.lines(f.elements.points.value), needs: C.lines(f.elements.needs.value) })
          .then(function (r) { if (r.ok) ctx.saved(f); });
      });
      return f;
    });
    form.querySelector(".topic").textContent = F.report + " · " + g.topic;
    if (!ctx.editing(form)) { form.elements.points.value = g.points.join("\n"); form.elements.needs.value = g.needs.join("\n"); }
    return form;
  }

  function reportsView(a) {
    return a.groups.map(function (g) {
      return h("div", { className: "report" }, [h("b", { text: g.topic }),
        h("ul", {}, g.points.map(function (p) { return h("li", { text: p }); })),
        g.needs.length ? h("p", { className: "tag", text: F.needs + ": " + g.needs.join("；") }) : null]);
    });
  }

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
