/* The projector: where the room stands, large enough for the back row. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.h, boot = C.readJSON("boot");
  var $ = function (id) { return document.getElementById(id); };
  var conn = C.live({ role: "projector", session_id: boot.session_id }, render);
  setInterval(function () { C.clock($("timer"), conn.state().session, conn.now); }, 500);

  function render(s) {
    if (!s.session) return;
    var step = s.session.step;
    $("title").textContent = s.session.title;
    $("step").textContent = T.steps[step];
    $("count").textContent = s.participants.count;
    var views = { raise: topics, discuss: discuss, decide: polls, "do": actions, evaluate: actions, closed: closing };
    var special = C.projectorStage && C.projectorStage(s);
    C.fill($("stage"), special || views[step](s));
    fitDetails();
  }

  function topics(s) {
    var list = s.topics.slice().sort(function (a, b) { return b.supports - a.supports || a.id - b.id; });
    if (!list.length) return [h("p", { className: "empty", text: T.step_hint.raise })];
    return [h("ul", { className: "wall" }, list.map(function (t) {
      return h("li", { "data-topic": t.id }, [h("span", { className: "text", text: t.text }),
        h("b", { className: "supports", text: String(t.supports) })]);
    }))];
  }

  function discuss(s) {
    if (!s.proposals.length) return topics(s);
    return [h("ul", { className: "proposals" }, s.proposals.map(function (p) {
      return h("li", {}, [h("b", { text: p.title }), p.text ? h("p", { text: p.text }) : null]);
    }))];
  }

  function proposal(s, id) { return s.proposals.filter(function (p) { return p.id === id; })[0] || { title: "" }; }

  function polls(s) {
    var open = s.polls.filter(function (p) { return p.status === "open"; });
    var shown = open.length ? open : s.polls.slice(-1);
    if (!shown.length) return [h("p", { className: "empty", text: T.no_polls })];
    return shown.map(function (poll) {
      var t = poll.tally, d = poll.decision;
      var title = h("h2", { text: proposal(s, poll.proposal_id).title });
      var bars = h("div", { className: "bars" }, T.order.choices.map(function (c) {
        var pct = t.cast ? 100 * t[c] / t.cast : 0, fill = h("i", { className: c });
        fill.style.width = pct + "%";
        return h("div", { className: "bar" }, [h("span", { className: "label", text: T.choices[c] }), h("b", {}, [fill]),
          h("span", { className: "n", "data-choice": c, text: String(t[c]) })]);
      }));
      if (!d) {
        return h("section", { className: "poll", "data-poll": poll.id }, [title,
          poll.secret ? h("p", { className: "secret-later", text: T.secret_counts_later }) : bars,
          h("p", { className: "total", text: T.rules[poll.rule] + " · " + t.cast + " " + T.votes + " · " + poll.needed + " " + T.needed })]);
      }
      return h("section", { className: "poll decided", "data-poll": poll.id }, [title].concat(decided(poll.certificate, bars)));
    });
  }

  /* A closed poll on one screen: the result word and its counts first and never cut, the rule
     once under them, then the bars; the details (why it failed, electorate, channels) take the
     room that is left (see fitDetails). */
  function decided(cert, bars) {
    var details = C.certificate(cert), pick = function (sel) { return details.querySelector(sel); };
    var verdict = h("div", { className: "verdict" }, [pick(".result"), pick(".counts")]);
    var rule = pick(".rule");
    details.className += " details";
    [].slice.call(details.querySelectorAll(".why")).reverse().forEach(function (el) { details.insertBefore(el, details.firstChild); });
    return [verdict, rule, bars, details];
  }

  /* Details shrink to fit the room left under the bars; lines that still do not fit are hidden
     whole (never half-cut), from the bottom. */
  function fitDetails() {
    [].forEach.call(document.querySelectorAll("#stage .details"), function (box) {
      var sizes = ["1.5vw", "1.35vw", "1.2vw"], i = 0, lines = box.querySelectorAll("p, li"), cut = false;
      [].forEach.call(lines, function (el) { el.style.visibility = ""; });
      box.style.fontSize = sizes[0];
      while (box.scrollHeight > box.clientHeight + 1 && ++i < sizes.length) box.style.fontSize = sizes[i];
      var bottom = box.getBoundingClientRect().bottom + 0.5;
      [].forEach.call(lines, function (el) {
        if (el.getBoundingClientRect().bottom > bottom) { el.style.visibility = "hidden"; cut = true; }
      });
      box.classList.toggle("cut", cut);
    });
  }
  window.addEventListener("resize", fitDetails);

  function actions(s) {
    if (!s.actions.length) return [h("p", { className: "empty", text: T.no_actions })];
    return [h("table", { className: "actions" }, [h("tbody", {}, s.actions.map(function (a) {
      var r = a.ratings;
      return h("tr", {}, [h("td", { text: a.what }), h("td", { text: a.owner }), h("td", { text: a.deadline }),
        h("td", { text: T.statuses[a.status] }),
        h("td", { text: r.total ? "😊 " + r.satisfied + "  🙂 " + r.basic + "  🙁 " + r.dissatisfied : (a.rating_open ? T.rating_open : "") })]);
    }))])];
  }

  function closing(s) {
    return [h("p", { className: "empty", text: T.step_hint.closed })].concat(actions(s));
  }
})();
