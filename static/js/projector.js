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
    $("count-word").textContent = C.countWord(T.n.participants, s.participants.count);
    var views = { raise: topics, discuss: discuss, decide: polls, "do": actions, evaluate: actions, closed: closing };
    var special = C.projectorStage && C.projectorStage(s);
    C.fill($("stage"), special || views[step](s));
    fitStage();
    fitDetails();
  }

  function topics(s) {
    var list = s.topics.slice().sort(function (a, b) { return b.supports - a.supports || a.id - b.id; });
    if (!list.length) return [h("p", { className: "empty", text: T.step_hint.raise })];
    return [h("ul", { className: "wall" }, list.map(function (t) {
      return h("li", { key: t.id, "data-topic": t.id }, [h("span", { className: "text", text: t.text }),
        h("b", { className: "supports", text: String(t.supports) })]);
    }))];
  }

  /* Once there are proposals they replace the wall: each says which topic it answers. */
  function discuss(s) {
    if (!s.proposals.length) return topics(s);
    return [h("section", { className: "fit" }, [proposalList(s, s.proposals)])];
  }

  /* Proposals with where each came from: the topic it answers, as the wall showed it, or the
     format's source (a group's needs, the café's harvest). A topic the room no longer sees
     (hidden or merged) is not brought back here: its proposal shows no origin. */
  function proposalList(s, list) {
    var wall = {}, F = T.f || {};
    s.topics.forEach(function (t) { wall[t.id] = t; });
    return h("ul", { className: "proposals" + (list.length > 4 ? " many" : "") }, list.map(function (p) {
      var topic = p.topic_id ? wall[p.topic_id] : null, source = (p.from && F["from_" + p.from]) || (topic ? T.from_topic : "");
      return h("li", { key: p.id, "data-proposal": p.id }, [h("b", { className: "title", text: p.title }),
        p.text ? h("p", { className: "text", text: p.text }) : null,
        source ? h("p", { className: "origin" }, [h("span", { className: "from", text: source }),
          topic ? h("span", { className: "topic", text: topic.text }) : null]) : null]);
    }));
  }

  function proposal(s, id) { return s.proposals.filter(function (p) { return p.id === id; })[0] || { title: "" }; }

  function polls(s) {
    var open = s.polls.filter(function (p) { return p.status === "open"; });
    var shown = open.length ? open : s.polls.slice(-1);
    if (!shown.length) return waiting(s);
    return shown.map(function (poll) {
      var t = poll.tally, d = poll.decision;
      var title = h("h2", { text: proposal(s, poll.proposal_id).title });
      var bars = h("div", { className: "bars" }, T.order.choices.map(function (c) {
        var pct = t.cast ? 100 * t[c] / t.cast : 0, fill = h("i", { className: c, style: "width:" + pct + "%" });
        return h("div", { className: "bar", key: c }, [h("span", { className: "label", text: T.choices[c] }), h("b", {}, [fill]),
          h("span", { className: "n", "data-choice": c, text: String(t[c]) })]);
      }));
      if (!d) {
        return h("section", { className: "poll", key: poll.id, "data-poll": poll.id }, [title,
          poll.secret ? h("p", { className: "secret-later", text: T.secret_counts_later }) : bars,
          h("p", { className: "total", text: T.rules[poll.rule] + " · " + C.count(T.n.votes, t.cast) + " · " + poll.needed + " " + T.needed })]);
      }
      return h("section", { className: "poll decided", key: poll.id, "data-poll": poll.id }, [title].concat(decided(poll.certificate, bars)));
    });
  }

  /* Before the first poll: what the room will vote on, so nobody stares at an empty screen. */
  function waiting(s) {
    var voted = {};
    s.polls.forEach(function (p) { voted[p.proposal_id] = true; });
    var list = s.proposals.filter(function (p) { return !voted[p.id]; });
    if (!list.length) return [h("p", { className: "empty", text: T.no_polls })];
    return [h("section", { className: "waiting fit" }, [h("h2", { text: T.waiting_vote }), proposalList(s, list)])];
  }

  /* Lists longer than the stage take smaller type, step by step, rather than being cut off at
     the bottom of the screen; before the type gets too small for the back row, long titles are
     shortened instead (see .tight). */
  function fitStage() {
    var stage = $("stage"), over = function () { return stage.scrollHeight > stage.clientHeight + 1; };
    var steps = [["1em"], [".9em"], [".8em"], [".8em", true], [".7em", true], [".62em", true]];
    [].forEach.call(stage.querySelectorAll(".fit"), function (box) {
      var i = 0, set = function (step) { box.style.fontSize = step[0]; box.classList.toggle("tight", !!step[1]); };
      set(steps[0]);
      while (over() && ++i < steps.length) set(steps[i]);
    });
  }
  window.addEventListener("resize", fitStage);

  /* A closed poll on one screen: the result word and its counts first and never cut, the rule
     once under them, then the bars; the details (why it failed, electorate, channels) take the
     room that is left (see fitDetails). */
  function decided(cert, bars) {
    var p = C.certificateParts(cert);
    return [h("div", { className: "verdict" }, [p.result, p.counts]), p.rule, bars,
      h("div", { className: "certificate details" }, p.why.concat([p.electorate], p.channels))];
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
    var heads = [T.actions, T.owner, T.deadline, T.status, T.ratings_given];
    return [h("table", { className: "actions fit" }, [
      h("thead", {}, [h("tr", {}, heads.map(function (x) { return h("th", { scope: "col", key: x, text: x }); }))]),
      h("tbody", {}, s.actions.map(function (a) {
        return h("tr", { key: a.id, "data-action": a.id }, [
          h("td", { className: "what" }, [a.what,
            a.carried ? h("span", { className: "carried", text: a.issue ? T.escalated : T.carried + (a.origin ? " · " + a.origin : "") }) : null]),
          h("td", { className: "owner", text: a.owner }),
          h("td", { className: "deadline mono" }, [h("time", { datetime: a.deadline, text: a.deadline })]),
          h("td", { className: "status " + a.status, text: T.statuses[a.status] }),
          h("td", { className: "ratings" }, ratings(a))]);
      }))])];
  }

  /* Each rating as its word and count (满意 3, 基本满意 1, 不满意 0): the room's machine drew
     the rating emoji as empty boxes, and bare numbers say nothing from the back row. */
  function ratings(a) {
    var r = a.ratings;
    if (!r.total) return a.rating_open ? [T.rating_open] : [];
    return [h("span", { className: "chips" }, T.order.ratings.map(function (k) {
      return h("span", { className: "rating " + k, key: k }, [T.ratings[k] + " ", h("b", { text: String(r[k]) })]);
    }))];
  }

  function closing(s) {
    return [h("p", { className: "empty", text: T.step_hint.closed })].concat(actions(s));
  }
})();
