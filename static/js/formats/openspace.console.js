/* The console's Open Space panel: dots on topics, the agenda wall, the groups' reports.
   console.js calls Council.formatPanel on every change; the panel renders keyed vnodes. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h, K = C.kit;
  var int = K.int;

  C.formatPanel = function (s, tools) {
    var box = document.getElementById("format-section");
    box.hidden = false;
    var ctx = { s: s, step: s.session.step, act: tools.act };
    var topics = s.topics.filter(function (t) { return !t.hidden && !t.merged_into && t.review === "approved"; }).map(function (t) { return { id: t.id, text: t.text }; });
    C.fill(box, [h("h2", { key: "title", text: F.title })].concat(C.dots.panel(ctx, { steps: ["raise", "discuss"], top: false, targets: topics }),
      agendaPanel(ctx)));
  };

  /* Open Space: spaces and slots, the wall as a grid, the reports. */
  function agendaPanel(ctx) {
    var s = ctx.s, a = s.agenda, out = [h("h3", { key: "agenda", text: F.agenda })];
    if (ctx.step !== "raise" && ctx.step !== "discuss") return out.concat(reportsView(a));
    out.push(h(WallSetup, { key: "wall", ctx: ctx }));
    if (!a.spaces.length) return out;
    var cells = [];
    a.slots.forEach(function (slot) { a.spaces.forEach(function (space) { cells.push({ space: space, slot: slot }); }); });
    function moveSelect(topicId) {
      return h("select", { key: "move", "aria-label": F.move_to, value: "", onchange: function (ev) {
        var val = ev.target.value;
        ev.target.value = "";
        if (val === "off") ctx.act("agenda.move", { topic_id: topicId });
        else if (val) { var c = val.split(":"); ctx.act("agenda.move", { topic_id: topicId, space_id: int(c[0]), slot_id: int(c[1]) }); }
      } }, [h("option", { key: "", value: "", text: F.move_to })].concat(cells.map(function (c) {
        var k = c.space.id + ":" + c.slot.id;
        return h("option", { key: k, value: k, text: c.slot.name + " · " + c.space.name }); }))
        .concat([h("option", { key: "off", value: "off", text: F.off_wall })]));
    }
    var at = {};
    a.groups.forEach(function (g) { at[g.space_id + ":" + g.slot_id] = g; });
    out.push(h("table", { key: "grid", className: "list wall-grid" }, [
      h("thead", {}, [h("tr", {}, [h("th", { key: "-" })].concat(a.spaces.map(function (sp) { return h("th", { key: sp.id, text: sp.name }); })))]),
      h("tbody", {}, a.slots.map(function (slot) {
        return h("tr", { key: slot.id }, [h("th", { key: "-", text: slot.name })].concat(a.spaces.map(function (sp) {
          var g = at[sp.id + ":" + slot.id];
          return h("td", { key: sp.id, "data-cell": sp.id + ":" + slot.id }, g ? [h("b", { key: "topic", text: g.topic }),
            h("div", { key: "count", className: "count", text: F.convener + ": " + (g.convener || "—") + " · " + C.fmt(F.people_n, { n: g.headcount }) }),
            moveSelect(g.topic_id)] : []);
        })));
      }))]));
    var placed = {};
    a.groups.forEach(function (g) { placed[g.topic_id] = true; });
    var waiting = s.topics.filter(function (t) { return !t.hidden && !t.merged_into && t.review === "approved" && !placed[t.id]; });
    if (waiting.length) {
      out.push(h("p", { key: "not-placed", className: "hint", text: F.not_placed }), h("ul", { key: "waiting", className: "items" }, waiting.map(function (t) {
        return h("li", { key: t.id, className: "item" }, [h("span", { key: "text", className: "text", text: t.text }), moveSelect(t.id)]);
      })));
    }
    if (ctx.step === "discuss") {
      a.groups.forEach(function (g) { out.push(h(ReportForm, { key: "report:" + g.id, ctx: ctx, g: g })); });
      out.push(h("p", { key: "needs-become", className: "hint", text: F.needs_become }));
    }
    return out;
  }

  /* The wall's spaces and time slots, one a line. */
  function WallSetup(props) {
    var ctx = props.ctx, a = ctx.s.agenda;
    var d = K.useDraft({ spaces: a.spaces.map(function (x) { return x.name; }).join("\n"),
                         slots: a.slots.map(function (x) { return x.name; }).join("\n") });
    return h("form", { className: "stack", onsubmit: K.submit(function () {
      ctx.act("agenda.setup", { spaces: C.lines(d.values.spaces), slots: C.lines(d.values.slots) }).then(function (r) { if (r.ok) d.done(); });
    }) }, [
      h("label", {}, [F.spaces, h("textarea", Object.assign({ rows: "3" }, d.field("spaces")))]),
      h("label", {}, [F.slots, h("textarea", Object.assign({ rows: "3" }, d.field("slots")))]),
      h("span", { className: "row" }, [h("button", { type: "submit", text: F.save_wall }),
        h("button", { type: "button", className: "primary", text: F.place_by_dots, onclick: function () { ctx.act("agenda.place"); } })])]);
  }

  /* A group's report, written here for a convener without a phone. */
  function ReportForm(props) {
    var ctx = props.ctx, g = props.g, d = K.useDraft({ points: g.points.join("\n"), needs: g.needs.join("\n") });
    return h("form", { className: "stack report", "data-group": g.id, onsubmit: K.submit(function () {
      ctx.act("report.save", { group_id: g.id, points: C.lines(d.values.points), needs: C.lines(d.values.needs) })
        .then(function (r) { if (r.ok) d.done(); });
    }) }, [h("b", { className: "topic", text: F.report + " · " + g.topic }),
      h("label", {}, [F.key_points, h("textarea", Object.assign({ rows: "3" }, d.field("points")))]),
      h("label", {}, [F.needs, h("textarea", Object.assign({ rows: "2" }, d.field("needs")))]),
      h("button", { type: "submit", text: F.save_report })]);
  }

  function reportsView(a) {
    return a.groups.map(function (g) {
      return h("div", { key: "report:" + g.id, className: "report" }, [h("b", { text: g.topic }),
        h("ul", {}, g.points.map(function (p, i) { return h("li", { key: i, text: p }); })),
        g.needs.length ? h("p", { className: "tag", text: F.needs + ": " + g.needs.join("；") }) : null]);
    });
  }
})();
