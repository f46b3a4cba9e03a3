/* The facilitator's console: every control of the five steps, live. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.h, boot = C.readJSON("boot");
  var $ = function (id) { return document.getElementById(id); };
  var STEPS = ["raise", "discuss", "decide", "do", "evaluate", "closed"];
  var conn = C.live({ role: "console", session_id: boot.session_id }, render, function (err) { C.flash(err.message); });

  function act(event, payload) {
    return conn.send(event, payload || {}).then(function (reply) {
      if (!reply.ok) C.flash(reply.error.message);
      return reply;
    });
  }

  $("step-next").addEventListener("click", function () { act("step.advance"); });
  $("step-back").addEventListener("click", function () { act("step.back"); });
  Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), function (b) {
    b.addEventListener("click", function () { act("timer.set", { seconds: parseInt(b.getAttribute("data-timer"), 10) }); });
  });
  setInterval(function () { C.clock($("timer"), conn.state().session, conn.now); }, 500);

  function onSubmit(id, event, build) {
    $(id).addEventListener("submit", function (ev) {
      ev.preventDefault();
      var form = ev.target;
      act(event, build(C.formData(form))).then(function (r) { if (r.ok) form.reset(); });
    });
  }
  onSubmit("topic-form", "topic.raise", function (d) { return { text: d.text }; });
  onSubmit("proposal-form", "proposal.create", function (d) {
    var p = { title: d.title, text: d.text };
    if (d.topic_id) p.topic_id = parseInt(d.topic_id, 10);
    return p;
  });
  onSubmit("action-form", "action.create", function (d) {
    return { decision_id: parseInt(d.decision_id, 10), what: d.what, owner: d.owner, deadline: d.deadline };
  });

  function render(s) {
    if (!s.session) return;
    var step = s.session.step;
    C.fill($("step-list"), STEPS.map(function (name) {
      return h("li", { className: name === step ? "current" : (STEPS.indexOf(name) < STEPS.indexOf(step) ? "done" : ""), text: T.steps[name] });
    }));
    $("step-back").disabled = step === "raise";
    $("step-next").disabled = step === "closed";
    $("people").textContent = s.participants.count + " " + T.participants + " · " + s.participants.households + " " + T.households;
    $("topic-form").hidden = step !== "raise";
    $("proposal-form").hidden = step !== "discuss" && step !== "decide";
    $("action-form").hidden = step !== "do";
    renderTopics(s, step);
    renderProposals(s, step);
    renderActions(s, step);
    C.fill($("participants"), s.participants.list.map(function (p) {
      return h("li", { text: p.name + (p.door ? " · " + p.door : "") });
    }));
  }

  function renderTopics(s, step) {
    var editable = step === "raise" || step === "discuss";
    var live = s.topics.filter(function (t) { return !t.merged_into && !t.hidden; });
    C.fill($("topics"), s.topics.length ? s.topics.map(function (t) {
      var tags = [t.hidden ? T.hidden : null, t.merged_into ? T.merged + " → #" + t.merged_into : null].filter(Boolean);
      var controls = [];
      if (editable && !t.merged_into) {
        controls.push(h("button", { type: "button", text: t.hidden ? T.show : T.hide,
          onclick: function () { act("topic.hide", { topic_id: t.id, hidden: !t.hidden }); } }));
        controls.push(h("button", { type: "button", text: T.edit, onclick: function () {
          var text = window.prompt(T.edit, t.text);
          if (text !== null) act("topic.edit", { topic_id: t.id, text: text });
        } }));
        var others = live.filter(function (o) { return o.id !== t.id; });
        if (others.length) {
          controls.push(h("select", { "aria-label": T.merge_into, onchange: function (ev) {
            if (ev.target.value) act("topic.merge", { source_id: t.id, target_id: parseInt(ev.target.value, 10) });
          } }, [h("option", { value: "", text: T.merge_into })].concat(others.map(function (o) {
            return h("option", { value: o.id, text: "#" + o.id + " " + o.text.slice(0, 30) });
          }))));
        }
      }
      return h("li", { className: "item" + (t.hidden || t.merged_into ? " muted" : ""), "data-topic": t.id }, [
        h("span", { className: "id", text: "#" + t.id }), h("span", { className: "text", text: t.text }),
        h("span", { className: "count", text: t.supports + " " + T.supporters + (t.author ? " · " + t.author : "") }),
        tags.length ? h("span", { className: "tag", text: tags.join(" · ") }) : null,
        h("span", { className: "controls" }, controls)
      ]);
    }) : [h("li", { className: "empty", text: T.no_topics })]);
    var select = document.querySelector("#proposal-form select[name=topic_id]"), keep = select.value;
    C.fill(select, [select.options[0]].concat(live.map(function (t) {
      return h("option", { value: t.id, text: "#" + t.id + " " + t.text.slice(0, 40) });
    })));
    select.value = keep;
  }

  function pollFor(s, proposalId) {
    var found = null;
    s.polls.forEach(function (p) { if (p.proposal_id === proposalId) found = p; });
    return found;
  }

  function bars(tally) {
    return h("div", { className: "bars" }, ["yes", "no", "abstain"].map(function (c) {
      var pct = tally.cast ? Math.round(100 * tally[c] / tally.cast) : 0, fill = h("i", { className: c });
      fill.style.width = pct + "%";
      return h("div", { className: "bar" }, [h("span", { text: T.choices[c] + " " + tally[c] }), h("b", {}, [fill])]);
    }));
  }

  function renderProposals(s, step) {
    C.fill($("proposals"), s.proposals.map(function (p) {
      var poll = pollFor(s, p.id), children = [h("p", { className: "strong", text: p.title }), p.text ? h("p", { text: p.text }) : null];
      if (poll) {
        children.push(bars(poll.tally));
        children.push(h("p", { className: "count", text: poll.tally.cast + " " + T.votes + " · " + poll.needed + " " + T.needed }));
        if (poll.status === "open") {
          children.push(h("button", { type: "button", className: "primary", text: T.close_poll,
            onclick: function () { act("poll.close", { poll_id: poll.id }); } }));
        } else {
          children.push(h("p", { className: "result " + (poll.decision.adopted ? "adopted" : "rejected"),
            text: poll.decision.adopted ? T.adopted : T.rejected }));
        }
      } else if (step === "decide") {
        children.push(h("button", { type: "button", className: "primary", text: T.open_poll,
          onclick: function () { act("poll.open", { proposal_id: p.id }); } }));
      }
      return h("li", { className: "item block", "data-proposal": p.id }, children);
    }));
    var select = document.querySelector("#action-form select[name=decision_id]"), keep = select.value;
    C.fill(select, s.polls.filter(function (p) { return p.decision && p.decision.adopted; }).map(function (p) {
      var prop = s.proposals.filter(function (x) { return x.id === p.proposal_id; })[0];
      return h("option", { value: p.decision.id, text: prop ? prop.title : "#" + p.decision.id });
    }));
    if (keep) select.value = keep;
  }

  function renderActions(s, step) {
    C.fill($("actions"), s.actions.length ? s.actions.map(function (a) {
      var r = a.ratings, controls = [];
      if (step === "do" || step === "evaluate") {
        controls.push(h("select", { "aria-label": T.status, onchange: function (ev) { act("action.update", { action_id: a.id, status: ev.target.value }); } },
          ["planned", "underway", "done"].map(function (v) { return h("option", { value: v, selected: v === a.status, text: T.statuses[v] }); })));
      }
      if (step === "evaluate") {
        controls.push(h("button", { type: "button", className: a.rating_open ? "" : "primary",
          text: a.rating_open ? T.close_rating : T.open_rating,
          onclick: function () { act("rating.open", { action_id: a.id, open: !a.rating_open }); } }));
      }
      return h("li", { className: "item block", "data-action": a.id }, [
        h("p", { className: "strong", text: a.what }),
        h("p", { text: T.owner + ": " + a.owner + " · " + T.deadline + ": " + a.deadline + " · " + T.statuses[a.status] }),
        r.total ? h("p", { className: "count", text: T.ratings.satisfied + " " + r.satisfied + " · " + T.ratings.basic + " " + r.basic + " · " + T.ratings.dissatisfied + " " + r.dissatisfied }) : null,
        a.rating_open ? h("span", { className: "tag", text: T.rating_open }) : null,
        h("span", { className: "controls" }, controls)
      ]);
    }) : [h("li", { className: "empty", text: T.no_actions })]);
  }
})();
