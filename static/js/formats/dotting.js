/* Dot voting's panels, shared by the formats that rank with dots: the phone's − / + cards
   (Council.dots.cards) and the projector's live ranking (Council.dots.ranking); the console's
   rules, opening and entry are in dotting.console.js (a phone never loads them). Each format
   says what it dots on. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, v = C.h;  // keyed vnodes

  function totalsOf(s) {
    var n = {};
    (s.dots.ranking || []).forEach(function (r) { n[r.id] = r.dots; });
    return n;
  }

  /* The phone: dots on topics or ideas, − and + per card, what is left at the top. The cards
     keep the order this phone showed them in while others place dots (C.steady, phone.js): a
     second tap at the same spot lands on the same card; the ranking comes back on request. */
  function cards(s, me, items, hint, act) {
    var d = s.dots, mine = me.dots || {}, used = 0, totals = totalsOf(s);
    Object.keys(mine).forEach(function (k) { used += mine[k]; });
    var open = d.status === "open", out = [v("p", { key: "note", className: "note", text: open ? hint + " " + C.fmt(F.dots_left, { left: d.dots - used, all: d.dots, per: d.per_topic }) : F.dots_status[d.status] })];
    var order = C.steady("dots", items, function (a, b) { return (totals[b.id] || 0) - (totals[a.id] || 0) || a.id - b.id; });
    if (open && items.length > 1) out.push(v("p", { key: "sort", className: "sort" }, [order.sorter]));
    return out.concat(order.items.map(function (it) {
      var n = mine[String(it.id)] || 0, row = [v("span", { key: "n", className: "count", text: C.fmt(F.dots_n, { n: totals[it.id] || 0 }) })];
      if (open) {
        row.push(v("span", { key: "dots", className: "dots" }, [
          v("button", { type: "button", "aria-label": "−", text: "−", disabled: n === 0, onclick: function () { act("dot.place", { target_id: it.id, count: n - 1 }); } }),
          v("b", { className: "mine", "aria-live": "polite", text: n ? new Array(n + 1).join("●") : "○" }),
          v("button", { type: "button", "aria-label": "+", text: "+", disabled: n >= d.per_topic || used >= d.dots, onclick: function () { act("dot.place", { target_id: it.id, count: n + 1 }); } })]));
      }
      return v("div", { key: it.id, className: "card", "data-target": it.id }, [it.label ? v("p", { className: "rule", text: it.label }) : null,
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

  C.dots = { cards: cards, ranking: ranking };
})();
