/* The facilitator's console: every control of the five steps, live. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.el, boot = C.readJSON("boot");
  var $ = function (id) { return document.getElementById(id); };
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
  onSubmit("topic-form", "topic.raise", function (d) {
    var p = { text: d.text };
    if (d.participant_id) p.participant_id = parseInt(d.participant_id, 10);  // the resident convenes it
    return p;
  });
  var starting = document.querySelector("#proposal-form select[name=starting]");
  Object.keys(T.starting_texts).forEach(function (k) { starting.appendChild(h("option", { value: k, text: k })); });
  starting.addEventListener("change", function () {
    var form = $("proposal-form");
    if (!starting.value) return;
    form.elements.title.value = starting.value;
    form.elements.text.value = T.starting_texts[starting.value];
  });
  onSubmit("proposal-form", "proposal.create", function (d) {
    var p = { title: d.title, text: d.text };
    if (d.topic_id) p.topic_id = parseInt(d.topic_id, 10);
    return p;
  });
  onSubmit("participant-form", "participant.add", function (d) { return { name: d.name, door: d.door }; });
  onSubmit("action-form", "action.create", function (d) {
    return { decision_id: parseInt(d.decision_id, 10), what: d.what, owner: d.owner, deadline: d.deadline,
             owner_kind: d.owner_kind };
  });

  function render(s) {
    if (!s.session) return;
    var step = s.session.step, steps = s.session.steps, moves = s.session.moves;
    C.place($("step-list"), steps.map(function (name) {
      return h("li", { className: name === step ? "current" : (steps.indexOf(name) < steps.indexOf(step) ? "done" : ""), text: T.steps[name] });
    }));
    // The server says which moves are possible now, and why not: the page decides nothing.
    $("step-back").disabled = !moves.back.to;
    $("step-next").disabled = !moves.next.to;
    var why = T.move_refused[moves.next.refused] || "";
    $("step-why").textContent = why;
    $("step-why").hidden = !why;
    $("people").textContent = C.count(T.n.participants, s.participants.count) + " · " + C.count(T.n.households, s.participants.households);
    $("topic-form").hidden = step !== "raise";
    $("proposal-form").hidden = step !== "discuss" && step !== "decide";
    $("action-form").hidden = step !== "do";
    renderTopics(s, step);
    renderProposals(s, step);
    renderLive(s);
    renderActions(s, step);
    var leave = boot.format.mark_left && step !== "closed";  // the format seats only who is here
    C.place($("participants"), s.participants.list.map(function (p) {
      return h("li", { className: p.left ? "muted" : "" }, [p.name + (p.door ? " · " + p.door : "") + (p.left ? " (" + T.f.left + ")" : ""),
        leave ? h("button", { type: "button", className: "small", text: p.left ? T.f.came_back : T.f.went_home,
          onclick: function () { act("participant.leave", { participant_id: p.id, left: !p.left }); } }) : null]);
    }));
    if (C.formatPanel) C.formatPanel(s, { act: act, keep: keep, editing: editing, saved: saved });
    followPolls(s);
  }

  function renderTopics(s, step) {
    var editable = step === "raise" || step === "discuss";
    var live = s.topics.filter(function (t) { return !t.merged_into && !t.hidden; });
    C.place($("topics"), s.topics.length ? s.topics.map(function (t) {
      var tags = [t.hidden ? T.hidden : null, t.merged_into ? T.merged + " → #" + t.merged_into : null].filter(Boolean);
      var controls = [];
      if (editable && !t.merged_into) {
        controls.push(h("button", { type: "button", text: t.hidden ? T.show : T.hide,
          onclick: function () { act("topic.hide", { topic_id: t.id, hidden: !t.hidden }); } }));
        if (!editingTopics[t.id]) {
          controls.push(h("button", { type: "button", text: T.edit, onclick: function () { editTopic(t.id, true); } }));
        }
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
        h("span", { className: "id", text: "#" + t.id }),
        editable && editingTopics[t.id] && !t.merged_into ? topicEditForm(t) : h("span", { className: "text", text: t.text }),
        h("span", { className: "count", text: C.count(T.n.supporters, t.supports) + (t.author ? " · " + t.author : "") }),
        tags.length ? h("span", { className: "tag", text: tags.join(" · ") }) : null,
        h("span", { className: "controls" }, controls)
      ]);
    }) : [h("li", { className: "empty", text: T.no_topics })]);
    var select = document.querySelector("#proposal-form select[name=topic_id]"), keep = select.value;
    C.place(select, [select.options[0]].concat(live.map(function (t) {
      return h("option", { value: t.id, text: "#" + t.id + " " + t.text.slice(0, 40) });
    })));
    select.value = keep;
  }

  /* A topic's text is edited in place, in a kept form: topics and supports arriving meanwhile
     leave the field, its focus and its caret alone. */
  var editingTopics = {};
  function editTopic(id, on) {
    if (on) editingTopics[id] = true; else { delete editingTopics[id]; delete kept["topic-edit:" + id]; }
    render(conn.state());
    var form = kept["topic-edit:" + id];
    if (on && form) { var box = form.elements.text; box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
  }
  function topicEditForm(t) {
    var form = keep("topic-edit:" + t.id, function () {
      var f = h("form", { className: "inline text topic-edit", "data-topic-edit": t.id }, [
        h("input", { name: "text", maxlength: "200", required: true, "aria-label": T.edit }),
        h("button", { type: "submit", className: "primary", text: T.save }),
        h("button", { type: "button", text: T.cancel, onclick: function () { editTopic(t.id, false); } })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        act("topic.edit", { topic_id: t.id, text: f.elements.text.value }).then(function (r) { if (r.ok) editTopic(t.id, false); });
      });
      f.addEventListener("keydown", function (ev) { if (ev.key === "Escape") editTopic(t.id, false); });
      return f;
    });
    if (!editing(form)) form.elements.text.value = t.text;
    return form;
  }

  function pollFor(s, proposalId) {
    var found = null;
    s.polls.forEach(function (p) { if (p.proposal_id === proposalId) found = p; });
    return found;
  }

  function bars(tally) {
    return h("div", { className: "bars" }, T.order.choices.map(function (c) {
      var pct = tally.cast ? Math.round(100 * tally[c] / tally.cast) : 0, fill = h("i", { className: c });
      fill.style.width = pct + "%";
      return h("div", { className: "bar" }, [h("span", { text: T.choices[c] + " " + tally[c] }), h("b", {}, [fill])]);
    }));
  }

  /* Forms inside live lists are kept across renders: a vote arriving while the facilitator
     types must not wipe what is being typed. A form being edited is "dirty" until saved. */
  var kept = {};
  function keep(key, make) {
    if (!kept[key]) {
      var form = kept[key] = make();
      form.addEventListener("input", function () { form.setAttribute("data-dirty", "1"); });
      form.addEventListener("change", function () { form.setAttribute("data-dirty", "1"); });
    }
    return kept[key];
  }
  function editing(form) { return form.getAttribute("data-dirty") === "1" || form.contains(document.activeElement); }
  function saved(form) { form.removeAttribute("data-dirty"); }

  function numberInput(name, label) {
    return h("label", { className: "num" }, [label, h("input", { type: "number", min: "0", max: "100000", name: name, value: "0" })]);
  }

  function openForm(p) {
    // The rules and units in the server's order (the page's JSON sorts object keys).
    var form = h("form", { className: "poll-open stack" }, [
      h("select", { name: "rule", "aria-label": T.rules.majority_cast }, T.order.rules.map(function (r) { return h("option", { value: r, text: T.rules[r] }); })),
      h("select", { name: "unit" }, T.order.units.map(function (u) { return h("option", { value: u, text: T.units[u] }); })),
      h("label", { className: "check" }, [h("input", { type: "checkbox", name: "secret" }), T.secret_ballot]),
      h("label", { className: "num" }, [T.quorum, h("input", { type: "number", min: "0", name: "quorum", value: "0" })]),
      h("button", { type: "submit", className: "primary", text: T.open_poll })]);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var f = form.elements, quorum = parseInt(f.quorum.value || "0", 10);
      var payload = { proposal_id: p.id, rule: f.rule.value, unit: f.unit.value, secret: f.secret.checked };
      if (quorum > 0) payload.quorum = quorum;
      act("poll.open", payload);
    });
    return form;
  }

  /* The show of hands and the paper ballots as one table, a row per channel and a column per
     choice: each heading is written once, so no label is squeezed beside its field. Each row is
     its own kept form; the rows share the table's columns (CSS subgrid). */
  function countTable(poll) {
    var head = h("div", { className: "count-head", "aria-hidden": "true" }, [h("span")].concat(
      T.order.choices.map(function (c) { return h("span", { text: T.choices[c] }); }), [h("span")]));
    return h("div", { className: "count-table" }, [head, countForm(poll, "hands"), countForm(poll, "paper")]);
  }

  function countForm(poll, channel) {
    var form = keep("count:" + poll.id + ":" + channel, function () {
      var f = h("form", { className: "counts", "data-channel": channel }, [h("b", { text: T.channels[channel] })].concat(
        T.order.choices.map(function (c) {
          return h("input", { type: "number", min: "0", max: "100000", name: c, value: "0", "aria-label": T.channels[channel] + " " + T.choices[c] });
        }), [h("button", { type: "submit", text: T.save })]));
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var e = f.elements;
        act("poll.count", { poll_id: poll.id, channel: channel, yes: parseInt(e.yes.value || "0", 10),
          no: parseInt(e.no.value || "0", 10), abstain: parseInt(e.abstain.value || "0", 10) })
          .then(function (r) { if (r.ok) saved(f); });
      });
      return f;
    });
    if (!editing(form)) {
      var current = (poll.channels || {})[channel] || { yes: 0, no: 0, abstain: 0 };
      T.order.choices.forEach(function (c) { form.elements[c].value = current[c]; });
    }
    return form;
  }

  function enterForm(s, poll) {
    var form = keep("enter:" + poll.id, function () {
      var who = poll.unit === "household"
        ? h("input", { name: "door", placeholder: T.door, maxlength: "20", required: true })
        : h("select", { name: "participant", required: true });
      var f = h("form", { className: "inline enter" }, [h("b", { text: T.enter_vote }), who,
        h("select", { name: "choice" }, T.order.choices.map(function (c) { return h("option", { value: c, text: T.choices[c] }); })),
        h("button", { type: "submit", text: T.save })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var e = f.elements, payload = { poll_id: poll.id, choice: e.choice.value };
        if (poll.unit === "household") payload.door_number = e.door.value; else payload.participant_id = parseInt(e.participant.value, 10);
        act("ballot.enter", payload).then(function (r) { if (r.ok) { saved(f); if (e.door) e.door.value = ""; } });
      });
      return f;
    });
    var select = form.elements.participant;
    if (select && !editing(form)) {  // residents keep joining: refresh the list, keep the choice
      var chosen = select.value;
      C.place(select, s.participants.list.map(function (p) {
        return h("option", { value: p.id, text: p.name + (p.door ? " · " + p.door : "") }); }));
      if (chosen) select.value = chosen;
    }
    return form;
  }

  function attendanceForm(poll) {
    var form = keep("attendance:" + poll.id, function () {
      var f = h("form", { className: "inline" }, [numberInput("present", T.attendance), h("button", { type: "submit", text: T.save })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        act("poll.attendance", { poll_id: poll.id, present: parseInt(f.elements.present.value || "0", 10) })
          .then(function (r) { if (r.ok) saved(f); });
      });
      return f;
    });
    if (!editing(form)) form.elements.present.value = poll.present === null ? "" : poll.present;
    return form;
  }

  function ballotList(s, poll) {
    var b = (s.ballots || {})[String(poll.id)] || { ballots: [], took_part: [], conflicts: [] }, out = [];
    if (b.conflicts.length) {
      out.push(h("p", { className: "tag warn", text: T.conflicts + ": " + b.conflicts.map(function (c) {
        return c.voter + " (" + T.channels[c.replaced] + " → " + T.channels[c.channel] + ")"; }).join(", ") }));
    }
    var names = b.ballots.length ? b.ballots.map(function (x) {
      return x.voter + (x.choice ? " " + T.choices[x.choice] : "") + (x.channel === "entered" ? " (" + T.channels.entered + ")" : ""); })
      : b.took_part;
    if (names.length) out.push(h("details", {}, [h("summary", { text: T.roll_call + " (" + names.length + ")" }), h("p", { text: names.join("、") })]));
    return out;
  }

  function articleForm(s, p) {
    var form = keep("article:" + p.id, function () {
      var f = h("form", { className: "inline article" }, [h("b", { text: T.convention }),
        h("select", { name: "kind" }, ["none", "add", "amend", "repeal"].map(function (k) { return h("option", { value: k, text: T.article_kinds[k] }); })),
        h("select", { name: "target", "aria-label": T.article }), h("button", { type: "submit", text: T.save })]);
      f.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var e = f.elements, payload = { proposal_id: p.id, kind: e.kind.value };
        if (e.kind.value === "amend" || e.kind.value === "repeal") payload.target = parseInt(e.target.value, 10);
        act("proposal.article", payload).then(function (r) { if (r.ok) saved(f); });
      });
      return f;
    });
    if (!editing(form)) {
      var mark = p.article || { kind: "none", target: null };
      C.place(form.elements.target, (s.convention.articles || []).map(function (a) {
        return h("option", { value: a.number, text: a.label + " " + a.text.slice(0, 20) }); }));
      form.elements.kind.value = mark.kind;
      if (mark.target) form.elements.target.value = mark.target;
    }
    return form;
  }

  function renderProposals(s, step) {
    C.place($("proposals"), s.proposals.map(function (p) {
      var poll = pollFor(s, p.id), children = [h("p", { className: "strong", text: p.title }), p.text ? h("p", { text: p.text }) : null,
        p.from ? h("span", { className: "tag", text: T.f["from_" + p.from] || "" }) : null];
      if (p.article) children.push(h("span", { className: "tag", text: T.convention + " · " + T.article_kinds[p.article.kind] +
        (p.article.target ? " " + (s.convention.articles.filter(function (a) { return a.number === p.article.target; })[0] || { label: "" }).label : "") }));
      if ((step === "discuss" || step === "decide") && !(poll && poll.decision)) children.push(articleForm(s, p));
      if (poll && poll.status === "open") {
        children.push(h("span", { className: "tag live", text: T.open }));  // its controls are in #poll-live, at the top
      } else if (poll) {
        children.push(bars(poll.tally));
        children.push(C.toDom(C.certificate(poll.certificate)));
        children = children.concat(ballotList(s, poll));
      } else if (step === "decide") {
        children.push(openForm(p));
      }
      return h("li", { className: "item block", "data-proposal": p.id }, children);
    }));
    var select = document.querySelector("#action-form select[name=decision_id]"), keep = select.value;
    C.place(select, s.polls.filter(function (p) { return p.decision && p.decision.adopted; }).map(function (p) {
      var prop = s.proposals.filter(function (x) { return x.id === p.proposal_id; })[0];
      return h("option", { value: p.decision.id, text: prop ? prop.title : "#" + p.decision.id });
    }));
    if (keep) select.value = keep;
  }

  /* Each open poll as one card at the top of the page, laid out to fit a 1366×768 screen with
     its close button: where it stands on the left, what the facilitator enters on the right. */
  function renderLive(s) {
    var open = s.polls.filter(function (poll) { return poll.status === "open"; });
    $("poll-live").hidden = !open.length;
    C.place($("poll-live"), open.map(function (poll) { return pollCard(s, poll); }));
  }

  function pollCard(s, poll) {
    var p = s.proposals.filter(function (x) { return x.id === poll.proposal_id; })[0] || { id: poll.proposal_id, title: "" };
    var state = [h("p", { className: "tag", text: T.rules[poll.rule] + " · " + T.units[poll.unit] + (poll.secret ? " · " + T.secret_ballot : "") }),
      // a secret poll's counts stay on the server until it closes: only turnout shows
      poll.secret ? h("p", { className: "note", text: T.secret_counts_later }) : bars(poll.tally),
      h("p", { className: "count" }, turnout(poll))];
    // what may be entered under this rule is the server's word (poll.inputs), not the page's
    var entry = [enterForm(s, poll), poll.inputs.attendance ? attendanceForm(poll) : null,
      h("button", { type: "button", className: "primary close", text: T.close_poll,
        onclick: function () { act("poll.close", { poll_id: poll.id }); } })];
    return h("article", { className: "poll-card", "data-proposal": p.id, "data-poll": poll.id }, [
      h("h2", { className: "poll-title" }, [h("span", { className: "tag live", text: T.open }), h("span", { text: p.title })]),
      h("div", { className: "poll-body" }, [
        h("div", { className: "poll-state" }, state.concat(ballotList(s, poll))),
        poll.inputs.counts ? h("div", { className: "poll-counts" }, [countTable(poll)]) : null,
        h("div", { className: "poll-entry" }, entry)])]);
  }

  /* Turnout, channel by channel, and what passes: each part kept whole on its line. */
  function turnout(poll) {
    var parts = [C.count(T.n.votes, poll.tally.cast)].concat(Object.keys(poll.channels || {}).map(function (ch) {
      return T.channels[ch] + " " + poll.channels[ch].cast; }), [poll.needed + " " + T.needed]);
    var out = [];
    parts.forEach(function (text, i) { if (i) out.push(" · "); out.push(h("span", { text: text })); });
    return out;
  }

  /* The page scrolls by itself only when a poll opens (to its card, wherever the facilitator had
     scrolled to) or closes (to its result in the list); never while one is being counted. */
  var openBefore = [];
  function followPolls(s) {
    var open = s.polls.filter(function (p) { return p.status === "open"; }).map(function (p) { return p.id; });
    var opened = open.filter(function (id) { return openBefore.indexOf(id) < 0; });
    var closed = s.polls.filter(function (p) { return openBefore.indexOf(p.id) >= 0 && open.indexOf(p.id) < 0; });
    openBefore = open;
    if (opened.length) into($("poll-live"));
    else if (closed.length) into(document.querySelector('#proposals [data-proposal="' + closed[0].proposal_id + '"] .certificate'));
  }
  function into(el) {
    if (!el) return;
    var box = el.getBoundingClientRect(), y = window.scrollY;
    if (box.top >= 0 && box.bottom <= window.innerHeight) return;
    // the whole element, and as much of what is above it as fits: near the top, the steps too
    window.scrollTo(0, Math.min(box.top + y, Math.max(0, box.bottom + y - window.innerHeight)));
  }

  function renderActions(s, step) {
    C.place($("actions"), s.actions.length ? s.actions.map(function (a) {
      var r = a.ratings, controls = [];
      if (step === "do" || step === "evaluate") {
        controls.push(h("select", { "aria-label": T.status, onchange: function (ev) { act("action.update", { action_id: a.id, status: ev.target.value }); } },
          T.order.statuses.map(function (v) { return h("option", { value: v, selected: v === a.status, text: T.statuses[v] }); })));
      }
      if (step === "evaluate") {
        controls.push(h("button", { type: "button", className: a.rating_open ? "" : "primary",
          text: a.rating_open ? T.close_rating : T.open_rating,
          onclick: function () { act("rating.open", { action_id: a.id, open: !a.rating_open }); } }));
      }
      return h("li", { className: "item block", "data-action": a.id }, [
        h("p", { className: "strong", text: a.what }),
        a.carried ? h("span", { className: "tag", text: T.carried + " · " + a.origin }) : null,
        h("p", { text: T.owner + ": " + a.owner + "（" + T.owner_kinds[a.owner_kind] + "） · " + T.deadline + ": " + a.deadline + " · " + T.statuses[a.status] }),
        a.note ? h("p", { className: "hint", text: a.note }) : null,
        r.total ? h("p", { className: "count", text: T.ratings.satisfied + " " + r.satisfied + " · " + T.ratings.basic + " " + r.basic + " · " + T.ratings.dissatisfied + " " + r.dissatisfied }) : null,
        a.rating_open ? h("span", { className: "tag", text: T.rating_open }) : null,
        h("span", { className: "controls" }, controls)
      ]);
    }) : [h("li", { className: "empty", text: T.no_actions })]);
  }
})();
