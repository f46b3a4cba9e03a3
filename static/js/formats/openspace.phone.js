/* The phone in an Open Space: dots on the topics, the groups to walk between, and the
   convener's report. phone.js calls Council.phoneFormats on every change. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;
  var $ = function (id) { return document.getElementById(id); };
  var act = null, reportGroup = null;

  C.phoneFormats = function (s, me, step, send) {
    act = send;
    var out = openSpace(s, me, step);
    C.fill($("format-list"), out);
    $("format-box").hidden = !out.length;
  };

  function openSpace(s, me, step) {
    var out = [], topics = s.topics.map(function (t) { return { id: t.id, text: t.text, label: t.author ? F.convener + ": " + t.author : "" }; });
    var wall = s.agenda, groups = wall.groups || [];
    $("report-form").hidden = true;
    if (step !== "raise" && step !== "discuss") return out;
    if (s.dots.status === "open" || (s.dots.status === "closed" && !groups.length)) return C.dots.cards(s, me, topics, F.dot_hint, act);
    if (step === "raise") {
      return out.concat(topics.map(function (t) {
        return h("div", { key: t.id, className: "card" }, [t.label ? h("p", { className: "rule", text: t.label }) : null, h("p", { className: "text", text: t.text })]);
      }));
    }
    if (!groups.length) return out;
    out.push(h("h2", { key: "groups", text: F.groups }), h("p", { key: "hint", className: "note", text: F.groups_hint }));
    var spaces = {}, mineIn = me.groups || {};
    wall.spaces.forEach(function (x) { spaces[x.id] = x.name; });
    wall.slots.forEach(function (slot) {
      out.push(h("h3", { key: "slot" + slot.id, text: slot.name }));
      groups.filter(function (g) { return g.slot_id === slot.id; }).forEach(function (g) {
        var here = mineIn[String(slot.id)] === g.id;
        out.push(h("div", { key: "group" + g.id, className: "card" + (here ? " here" : ""), "data-group": g.id }, [
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
      C.fill(select, convened.map(function (g) { return h("option", { key: g.id, value: g.id, text: g.topic }); }));
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
})();
