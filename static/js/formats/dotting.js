/* Dot voting's panels, shared by the formats that rank with dots: the console's rules,
   opening and entry (Council.dots.panel), the phone's − / + cards (Council.dots.cards) and
   the projector's live ranking (Council.dots.ranking). Each format says what it dots on. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.el, v = C.h, K = C.kit;  // h: the console's kept forms; v: keyed

  /* The console: `on` is { steps: [...], top: bool, targets: [{ id, text }] }. */
  function panel(ctx, on) {
    var d = ctx.s.dots, out = [], int = K.int;
    if (on.steps.indexOf(ctx.step) < 0 || !d.status) return out;
    var rules = ctx.keep("dot-rules", function () {
      var f = h("form", { className: "inline" }, [
        h("label", { className: "num" }, [F.dot_rules, h("input", { type: "number", min: "1", max: "20", name: "dots" })]),
        h("label", { className: "num" }, [F.per_topic, h("input", { type: "number", min: "1", max: "20", name: "per_topic" })]),
        on.top ? h("label", { className: "num" }, [F.top_ideas, h("input", { type: "number", min: "1", max: "50", name: "top" })]) : null,
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
      h("span", { className: "tag", text: F.dots_status[d.status] + " · " + C.count(T.n.participants, d.voters) }),
      h("button", { type: "button", className: d.status === "open" ? "" : "primary", text: d.status === "open" ? F.close_dots : F.open_dots,
        onclick: function () { ctx.act("dots.open", { open: d.status !== "open" }); } })]));
    var text = {};
    on.targets.forEach(function (t) { text[t.id] = t.text; });
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
        K.refill(enter.elements.participant, K.personOptions(ctx.s));
        K.refill(enter.elements.target, on.targets.map(function (t) { return h("option", { value: t.id, text: "#" + t.id + " " + t.text.slice(0, 30) }); }));
      }
      out.push(enter);
    }
    return out;
  }

  function totalsOf(s) {
    var n = {};
    (s.dots.ranking || []).forEach(function (r) { n[r.id] = r.dots; });
    return n;
  }

  /* The phone: dots on topics or ideas, − and + per card, what is left at the top. */
  function cards(s, me, items, hint, act) {
    var d = s.dots, mine = me.dots || {}, used = 0, totals = totalsOf(s);
    Object.keys(mine).forEach(function (k) { used += mine[k]; });
    var open = d.status === "open", out = [v("p", { className: "note", text: open ? hint + " " + C.fmt(F.dots_left, { left: d.dots - used, all: d.dots, per: d.per_topic }) : F.dots_status[d.status] })];
    var sorted = items.slice().sort(function (a, b) { return (totals[b.id] || 0) - (totals[a.id] || 0) || a.id - b.id; });
    return out.concat(sorted.map(function (it) {
      var n = mine[String(it.id)] || 0, row = [v("span", { className: "count", text: C.fmt(F.dots_n, { n: totals[it.id] || 0 }) })];
      if (open) {
        row.push(v("span", { className: "dots" }, [
          v("button", { type: "button", "aria-label": "−", text: "−", disabled: n === 0, onclick: function () { act("dot.place", { target_id: it.id, count: n - 1 }); } }),
          v("b", { className: "mine", "aria-live": "polite", text: n ? new Array(n + 1).join("●") : "○" }),
          v("button", { type: "button", "aria-label": "+", text: "+", disabled: n >= d.per_topic || used >= d.dots, onclick: function () { act("dot.place", { target_id: it.id, count: n + 1 }); } })]));
      }
      return v("div", { className: "card", "data-target": it.id }, [it.label ? v("p", { className: "rule", text: it.label }) : null,
        v("p", { className: "text", text: it.text }), v("div", { className: "row" }, row)]);
    }));
  }

  /* The projector: the live ranking of `items` ({ id, text, label }). */
  function ranking(s, items) {
    var text = {};
    items.forEach(function (i) { text[i.id] = i; });
    var d = s.dots;
    return [v("p", { className: "total", text: F.dots_status[d.status] + " · " + C.count(T.n.participants, d.voters) }),
      v("ol", { className: "ranking" }, d.ranking.filter(function (r) { return text[r.id]; }).map(function (r) {
        return v("li", { "data-target": r.id }, [v("span", { className: "text", text: text[r.id].text }),
          text[r.id].label ? v("span", { className: "label", text: text[r.id].label }) : null,
          v("b", { className: "supports", text: String(r.dots) })]);
      }))];
  }

  C.dots = { panel: panel, cards: cards, ranking: ranking };
})();
