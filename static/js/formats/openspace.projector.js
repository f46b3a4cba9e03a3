/* The projector in an Open Space: the live dot ranking of the marketplace, then the agenda
   wall with headcounts. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, F = T.f, h = C.h;

  /* The stage for this moment, or null where the plain five-step view fits. */
  C.projectorStage = function (s) {
    var step = s.session.step;
    return step === "raise" || step === "discuss" ? openSpace(s, step) : null;
  };

  function openSpace(s, step) {
    var a = s.agenda;
    if (step === "discuss" && a.groups && a.groups.length) {
      var at = {};
      a.groups.forEach(function (g) { at[g.space_id + ":" + g.slot_id] = g; });
      return [h("table", { className: "agenda" }, [
        h("thead", {}, [h("tr", {}, [h("th")].concat(a.spaces.map(function (sp) { return h("th", { text: sp.name }); })))]),
        h("tbody", {}, a.slots.map(function (slot) {
          return h("tr", {}, [h("th", { text: slot.name })].concat(a.spaces.map(function (sp) {
            var g = at[sp.id + ":" + slot.id];
            return h("td", { "data-group": g ? g.id : null }, g ? [h("b", { text: g.topic }),
              h("span", { className: "who", text: g.convener }),
              h("span", { className: "heads", text: C.fmt(F.people_n, { n: g.headcount }) })] : []);
          })));
        }))])];
    }
    if (s.dots.status === "ready") return null;
    return C.dots.ranking(s, s.topics.map(function (t) { return { id: t.id, text: t.text, label: "" }; }));
  }
})();
