/* The phone in an Open Space or a World Café: dots, groups and the report; where to sit,
   the harvest. phone.js calls Council.phoneFormats on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;
  var $ = function (id) { return document.getElementById(id); };
  var act = null, reportGroup = null;


  C.phoneFormats = function (s, me, step, send) {
    act = send;
    var out = s.session.format === "openspace" ? openSpace(s, me, step) : cafe(s, me, step);
    C.fill($("format-list"), out);
    $("format-box").hidden = !out.length;
  };

  function dotsOf(s) {
    var n = {};
    (s.dots.ranking || []).forEach(function (r) { n[r.id] = r.dots; });
    return n;
  }

  /* Dots on topics or ideas: − and + per card, what is left at the top. */
  function dotCards(s, me, items, hint) {
    var d = s.dots, mine = me.dots || {}, used = 0, totals = dotsOf(s);
    Object.keys(mine).forEach(function (k) { used += mine[k]; });
    var open = d.status === "open", out = [h("p", { className: "note", text: open ? hint + " " + C.fmt(F.dots_left, { left: d.dots - used, all: d.dots, per: d.per_topic }) : F.dots_status[d.status] })];
    var sorted = items.slice().sort(function (a, b) { return (totals[b.id] || 0) - (totals[a.id] || 0) || a.id - b.id; });
    return out.concat(sorted.map(function (it) {
      var n = mine[String(it.id)] || 0, row = [h("span", { className: "count", text: C.fmt(F.dots_n, { n: totals[it.id] || 0 }) })];
      if (open) {
        row.push(h("span", { className: "dots" }, [
          h("button", { type: "button", "aria-label": "−", text: "−", disabled: n === 0, onclick: function () { act("dot.place", { target_id: it.id, count: n - 1 }); } }),
          h("b", { className: "mine", "aria-live": "polite", text: n ? new Array(n + 1).join("●") : "○" }),
          h("button", { type: "button", "aria-label": "+", text: "+", disabled: n >= d.per_topic || used >= d.dots, onclick: function () { act("dot.place", { target_id: it.id, count: n + 1 }); } })]));
      }
      return h("div", { className: "card", "data-target": it.id }, [it.label ? h("p", { className: "rule", text: it.label }) : null,
        h("p", { className: "text", text: it.text }), h("div", { className: "row" }, row)]);
    }));
  }

  function openSpace(s, me, step) {
    var out = [], topics = s.topics.map(function (t) { return { id: t.id, text: t.text, label: t.author ? F.convener + ": " + t.author : "" }; });
    var wall = s.agenda, groups = wall.groups || [];
    $("report-form").hidden = true;
    if (step !== "raise" && step !== "discuss") return out;
    if (s.dots.status === "open" || (s.dots.status === "closed" && !groups.length)) return dotCards(s, me, topics, F.dot_hint);
    if (step === "raise") {
      return out.concat(topics.map(function (t) {
        return h("div", { className: "card" }, [t.label ? h("p", { className: "rule", text: t.label }) : null, h("p", { className: "text", text: t.text })]);
      }));
    }
    if (!groups.length) return out;
    out.push(h("h2", { text: F.groups }), h("p", { className: "note", text: F.groups_hint }));
    var spaces = {}, mineIn = me.groups || {};
    wall.spaces.forEach(function (x) { spaces[x.id] = x.name; });
    wall.slots.forEach(function (slot) {
      out.push(h("h3", { text: slot.name }));
      groups.filter(function (g) { return g.slot_id === slot.id; }).forEach(function (g) {
        var here = mineIn[String(slot.id)] === g.id;
        out.push(h("div", { className: "card" + (here ? " here" : ""), "data-group": g.id }, [
          h("p", { className: "rule", text: spaces[g.space_id] + " · " + F.convener + ": " + (g.convener || "—") }),
          h("p", { className: "text strong", text: g.topic }),
          h("div", { className: "row" }, [h("span", { className: "count", text: C.fmt(F.people_n, { n: g.headcount }) }),
            here ? h("strong", { className: "here-tag", text: "✓ " + F.in_group })
              : h("button", { type: "button", text: F.join_group, onclick: function () { act("group.join", { group_id: g.id }); } })])]));
      });
    });
    var convened = groups.filter(function (g) { return g.convener_id === me.id; });
    if (convened.length) showReport(convened);
    return out;
  }

  /* The report form stays in the page, so typing is never lost to an incoming change. */
  function showReport(convened) {
    var form = $("report-form"), select = form.elements.group;
    form.hidden = false;
    if (!form.contains(document.activeElement) && form.getAttribute("data-dirty") !== "1") {
      C.fill(select, convened.map(function (g) { return h("option", { value: g.id, text: g.topic }); }));
      if (reportGroup) select.value = reportGroup;
      var g = convened.filter(function (x) { return String(x.id) === select.value; })[0] || convened[0];
      select.value = g.id;
      form.elements.points.value = g.points.join("\n");
      form.elements.needs.value = g.needs.join("\n");
    }
    select.hidden = convened.length < 2;
  }

  $("report-form").addEventListener("input", function () { $("report-form").setAttribute("data-dirty", "1"); });
  $("report-form").elements.group.addEventListener("change", function (ev) {
    reportGroup = ev.target.value; $("report-form").removeAttribute("data-dirty");
  });
  $("report-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var f = ev.target;
    act("report.save", { group_id: parseInt(f.elements.group.value, 10), points: C.lines(f.elements.points.value),
      needs: C.lines(f.elements.needs.value) }).then(function (r) {
      if (r.ok) { f.removeAttribute("data-dirty"); C.flash(F.report_saved, "ok"); }
    });
  });
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
      return dotCards(s, me, s.ideas.map(function (i) { return { id: i.id, text: i.text, label: tables[i.table_id] }; }), F.idea_dot_hint);
    }
    if (!c.current) {
      var first = (c.seats["1"] || {})[String(me.id)];
      if (step === "raise" && !first) return out;
      out.push(h("div", { className: "card go" }, [h("p", { className: "text", text: F.wait_round }),
        first ? h("p", { className: "text strong", text: C.fmt(F.first_at, { table: tables[first] }) }) : null]));
      return out;
    }
    var round = c.rounds[c.current - 1], mine = (c.seats[String(c.current)] || {})[String(me.id)];
    out.push(h("div", { className: "card go", "data-round": c.current }, [
      h("p", { className: "text strong", text: mine ? C.fmt(F.go_to, { n: c.current, table: tables[mine], question: round.question })
        : C.fmt(F.round_of, { n: c.current, of: c.rounds.length }) + " · " + round.question }),
      mine ? null : h("p", { className: "note", text: F.no_seat })]));
    if (!mine) return out;
    $("idea-form").hidden = false;
    var here = s.ideas.filter(function (i) { return i.table_id === mine && i.round === c.current; });
    out.push(h("h3", { text: F.harvest + " · " + tables[mine] }));
    return out.concat(here.length ? here.map(function (i) { return h("div", { className: "card", text: i.text }); })
      : [h("p", { className: "empty", text: F.no_ideas })]);
  }
})();
