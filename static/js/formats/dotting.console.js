/* Dot voting on the console (after dotting.js and kit.js): the rules, opening and closing,
   the ranking, and dots entered for a resident without a phone (Council.dots.panel). */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, v = C.h;  // keyed vnodes

  /* The console: `on` is { steps: [...], top: bool, targets: [{ id, text }] }. Keyed vnodes;
     the rules and the entry are small forms (console.js keeps what is being typed). */
  function panel(ctx, on) {
    var d = ctx.s.dots, out = [];
    if (on.steps.indexOf(ctx.step) < 0 || !d.status) return out;
    var text = {};
    on.targets.forEach(function (t) { text[t.id] = t.text; });
    out.push(v("h3", { key: "dots-title", text: F.dots }), v(DotRules, { key: "dot-rules", ctx: ctx, top: on.top }),
      v("p", { key: "dots-status", className: "row" }, [
        v("span", { className: "tag", text: F.dots_status[d.status] + " · " + C.count(T.n.participants, d.voters) }),
        v("button", { type: "button", className: d.status === "open" ? "" : "primary", text: d.status === "open" ? F.close_dots : F.open_dots,
          onclick: function () { ctx.act("dots.open", { open: d.status !== "open" }); } })]),
      v("ol", { key: "ranking", className: "ranking" }, d.ranking.map(function (r) {
        return v("li", { key: r.id, "data-target": r.id }, [v("b", { text: String(r.dots) }), " ", text[r.id] || ""]);
      })));
    if (d.status === "open") out.push(v(DotEnter, { key: "dot-enter", ctx: ctx, targets: on.targets }));
    return out;
  }

  function DotRules(props) {
    var ctx = props.ctx, d = ctx.s.dots, K = C.kit, int = K.int;
    var f = K.useDraft({ dots: String(d.dots), per_topic: String(d.per_topic), top: String(d.top) });
    function field(name, label, max) {
      return v("label", { key: name, className: "num" }, [label, v("input", Object.assign({ type: "number", min: "1", max: max }, f.field(name)))]);
    }
    return v("form", { className: "inline", onsubmit: K.submit(function () {
      var p = { dots: int(f.values.dots), per_topic: int(f.values.per_topic) };
      if (props.top) p.top = int(f.values.top);
      ctx.act("dots.rules", p).then(function (r) { if (r.ok) f.done(); });
    }) }, [field("dots", F.dot_rules, "20"), field("per_topic", F.per_topic, "20"),
      props.top ? field("top", F.top_ideas, "50") : null, v("button", { key: "save", type: "submit", text: T.save })]);
  }

  /* Dots placed for a resident without a phone: who, on what, how many. */
  function DotEnter(props) {
    var ctx = props.ctx, K = C.kit, int = K.int;
    return v("form", { className: "inline", onsubmit: K.submit(function (f) {
      var e = f.elements;
      ctx.act("dot.enter", { participant_id: int(e.participant.value), target_id: int(e.target.value), count: int(e.count.value || "0") });
    }) }, [v("b", { text: F.enter_dots }), v("select", { name: "participant", required: true }, K.personOptions(ctx.s)),
      v("select", { name: "target", required: true }, props.targets.map(function (t) {
        return v("option", { key: t.id, value: t.id, text: "#" + t.id + " " + t.text.slice(0, 30) }); })),
      v("input", { type: "number", name: "count", min: "0", max: "20", defaultValue: "1", "aria-label": F.dots }),
      v("button", { type: "submit", text: T.save })]);
  }

  C.dots.panel = panel;
})();
