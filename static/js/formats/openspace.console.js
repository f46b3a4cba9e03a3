/* The console's Open Space panel: dots on topics, the agenda wall, the groups' reports.
   console.js calls Council.formatPanel on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.el, K = C.kit;
  var int = K.int, personOptions = K.personOptions, refill = K.refill;

  C.formatPanel = function (s, tools) {
    var box = document.getElementById("format-section");
    box.hidden = false;
    var step = s.session.step, ctx = { s: s, step: step, act: tools.act, keep: tools.keep, editing: tools.editing, saved: tools.saved };
    var topics = s.topics.filter(function (t) { return !t.hidden && !t.merged_into; }).map(function (t) { return { id: t.id, text: t.text }; });
    C.place(box, [h("h2", { text: F.title })].concat(C.dots.panel(ctx, { steps: ["raise", "discuss"], top: false, targets: topics }),
      agendaPanel(ctx)));
    // Topics entered from the console are convened by the resident named here.
    var topicFor = document.querySelector("#topic-form select[name=participant_id]");
    if (topicFor) { topicFor.hidden = false; refill(topicFor, personOptions(s, F.no_convener)); }
  };

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
})();
