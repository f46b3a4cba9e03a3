/* The facilitator's console: every control of the five steps, live.

   Rendered with Preact's keyed diff (C.h, C.fill): every list item has a stable key, so an
   update patches what changed and leaves the element being typed in where it is. Forms are
   small components: a field shows the server's value until the facilitator changes it, then
   the facilitator's (a draft) until it is saved or cancelled; votes and topics arriving
   meanwhile never touch what is being typed, its focus or its caret. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.h, boot = C.readJSON("boot");
  var hooks = window.preactHooks, useState = hooks.useState, useRef = hooks.useRef, useEffect = hooks.useEffect;
  var $ = function (id) { return document.getElementById(id); };
  var conn = C.live({ role: "console", session_id: boot.session_id }, render, function (err) { C.flash(err.message); });

  function act(event, payload) {
    return conn.send(event, payload || {}).then(function (reply) {
      // refused: say why, and put back what the page shows (a select left on the refused value)
      if (!reply.ok) { C.flash(reply.error.message); rerender(); }
      else if (!$("flash").hidden && $("flash").className.indexOf("error") >= 0) C.flash("");  // a refusal put right: gone
      return reply;
    });
  }
  function rerender() { var s = conn.state(); if (s.session) render(s); }
  function int(v) { return parseInt(v, 10); }
  function num(v) { return parseInt(v || "0", 10); }

  /* A form's fields: the server's values until the facilitator changes one, then the
     facilitator's own (the draft). Once saved (`done`), the draft stays on screen until the
     server's values change (the saved ones arriving, or anyone's later change): no field
     flickers back to the old value between the answer and the update. `field(name)` gives an
     input's name, value and handler. */
  function useDraft(server) {
    var st = useState(null), setDraft = st[1], draft = st[0], latest = useRef(server), savedOn = useRef(null);
    var key = JSON.stringify(server);
    latest.current = server;
    var stale = draft !== null && savedOn.current !== null && savedOn.current !== key;
    useEffect(function () { if (stale) { savedOn.current = null; setDraft(null); } });
    if (stale) draft = null;
    var values = draft || server;
    function set(name, value) {
      savedOn.current = null;  // typing again after a save: a draft once more
      setDraft(function (d) { var next = Object.assign({}, d || latest.current); next[name] = value; return next; });
    }
    return {
      values: values, editing: draft !== null, set: set,
      field: function (name) {
        return { name: name, value: values[name], oninput: function (ev) { set(name, ev.target.value); } };
      },
      done: function () { savedOn.current = JSON.stringify(latest.current); }
    };
  }
  C.useDraft = useDraft;  // the format panels' forms use it too

  /* A submit handler: the form's own submit, with the form at hand after the answer. */
  function submit(fn) { return function (ev) { ev.preventDefault(); fn(ev.currentTarget); }; }

  /* Next step says first what it will do (the server's words for this move), and asks once,
     in the page: a confirm button and a cancel button over the page, never a browser dialog. */
  var askingNext = false, askedIn = null;  // asked in which step: a move made meanwhile ends the question
  function askNext(on) {
    var s = conn.state();
    askingNext = on && !!s.session; askedIn = askingNext ? s.session.step : null;
    rerender();
    if (askingNext) { var b = $("step-confirm"); if (b) b.focus(); }
  }
  $("step-next").addEventListener("click", function () { askNext(!askingNext); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape" && askingNext) askNext(false); });
  $("step-back").addEventListener("click", function () { act("step.back"); });
  Array.prototype.forEach.call(document.querySelectorAll("[data-timer]"), function (b) {
    b.addEventListener("click", function () { act("timer.set", { seconds: int(b.getAttribute("data-timer")) }); });
  });
  setInterval(function () { C.clock($("timer"), conn.state().session, conn.now); }, 500);

  /* The forms written in the page: only their lists of choices follow the state. Once saved,
     a form is cleared, except what was typed into it again while the answer was on its way. */
  function onSubmit(id, event, build) {
    var form = $(id), touched = {};
    function touch(ev) { if (ev.target.name) touched[ev.target.name] = true; }
    form.addEventListener("input", touch);
    form.addEventListener("change", touch);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      touched = {};
      var mine = touched;  // what is typed from now on, until this answer
      act(event, build(C.formData(form))).then(function (r) {
        if (!r.ok) return;
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || mine[el.name]) return;
          if (el.tagName === "SELECT") el.selectedIndex = 0; else el.value = el.defaultValue;
        });
      });
    });
  }
  onSubmit("topic-form", "topic.raise", function (d) {
    var p = { text: d.text };
    if (d.participant_id) p.participant_id = int(d.participant_id);  // the resident it is raised for
    return p;
  });
  var starting = document.querySelector("#proposal-form select[name=starting]");
  C.fill(starting, [h("option", { key: "", value: "", text: starting.options[0].text })].concat(
    Object.keys(T.starting_texts).map(function (k) { return h("option", { key: k, value: k, text: k }); })));
  starting.addEventListener("change", function () {
    var form = $("proposal-form");
    if (!starting.value) return;
    form.elements.title.value = starting.value;
    form.elements.text.value = T.starting_texts[starting.value];
  });
  onSubmit("proposal-form", "proposal.create", function (d) {
    var p = { title: d.title, text: d.text };
    if (d.topic_id) p.topic_id = int(d.topic_id);
    if (d.starting) p.article = "add";  // a common convention text becomes a new article if adopted
    return p;
  });
  onSubmit("participant-form", "participant.add", function (d) { return { name: d.name, door: d.door }; });
  onSubmit("action-form", "action.create", function (d) {
    var p = { decision_id: int(d.decision_id), what: d.what, owner: d.owner, deadline: d.deadline, owner_kind: d.owner_kind };
    if (d.owner_participant_id && d.owner_kind === "resident") p.owner_participant_id = int(d.owner_participant_id);
    return p;
  });
  // an owner picked from the room is a resident: the name fills in, other kinds of owner pick no one
  (function () {
    var form = $("action-form"), who = form.elements.owner_participant_id, kind = form.elements.owner_kind;
    who.addEventListener("change", function () {
      var picked = who.options[who.selectedIndex];
      if (who.value && !form.elements.owner.value) form.elements.owner.value = picked.text.split(" · ")[0];
    });
    kind.addEventListener("change", function () { who.disabled = kind.value !== "resident"; if (who.disabled) who.value = ""; });
  })();
  // the first option of each written select ("no topic", "nobody") keeps the page's words
  var firstOption = {};
  ["#proposal-form select[name=topic_id]", "#topic-form select[name=participant_id]",
   "#action-form select[name=owner_participant_id]"].forEach(function (sel) {
    var el = document.querySelector(sel);
    firstOption[sel] = el.options.length ? el.options[0].text : "";
  });
  function fillSelect(sel, first, options) {
    var el = document.querySelector(sel);
    C.fill(el, (first === null ? [] : [h("option", { key: "", value: "", text: first })]).concat(options));
  }

  function render(s) {
    if (!s.session) return;
    var step = s.session.step, steps = s.session.steps, moves = s.session.moves;
    C.fill($("step-list"), steps.map(function (name) {
      return h("li", { key: name, className: name === step ? "current" : (steps.indexOf(name) < steps.indexOf(step) ? "done" : ""), text: T.steps[name] });
    }));
    // The server says which moves are possible now, and why not: the page decides nothing.
    $("step-back").disabled = !moves.back.to;
    $("step-next").disabled = !moves.next.to;
    var why = T.move_refused[moves.next.refused] || "";
    $("step-why").textContent = why;
    $("step-why").hidden = !why;
    renderAsk(s, moves.next);
    // those who only voted from afar are not present: apart, beside the count
    var remote = s.participants.remote || [];
    $("people").textContent = C.count(T.n.participants, s.participants.count) + " · " + C.count(T.n.households, s.participants.households) +
      (remote.length ? " · " + C.count(T.n.remote_voters, remote.length) : "");
    $("topic-form").hidden = step !== "raise";
    // proposals from raise on: written before the meeting, they go on its notice (issue 15)
    $("proposal-form").hidden = !before(step) && step !== "decide";
    $("action-form").hidden = step !== "do";
    renderTopics(s, step);
    renderProposals(s, step);
    renderLive(s);
    renderActions(s, step);
    renderParticipants(s, step);
    if (C.formatPanel) C.formatPanel(s, { act: act });
    followPolls(s);
  }

  function renderAsk(s, next) {
    if (!next.to || s.session.step !== askedIn) askingNext = false;  // moved meanwhile (another console), or refused now
    var box = $("step-ask");
    box.hidden = !askingNext;
    if (!askingNext) { C.fill(box, []); return; }
    var said = (next.effects || []).map(function (k) { return { key: k, text: T.next_effects[k] }; }).filter(function (x) { return x.text; });
    var unvoted = s.session.step === "decide" ? s.proposals.filter(function (p) { return !pollFor(s, p.id); }).length : 0;
    if (unvoted) said.push({ key: "unvoted", text: C.count(T.n.unvoted, unvoted), warn: true });
    C.fill(box, [
      h("p", { key: "title", id: "step-ask-title", className: "strong", text: C.fmt(T.after_next, { step: T.steps[next.to] }) }),
      h("ul", { key: "effects", className: "effects" }, said.map(function (x) { return h("li", { key: x.key, className: x.warn ? "warn" : "", text: x.text }); })),
      h("p", { key: "buttons", className: "row" }, [
        h("button", { key: "yes", type: "button", id: "step-confirm", className: "primary", text: T.confirm_next + " ›",
          onclick: function () { askingNext = false; act("step.advance", { from: s.session.step }).then(rerender); } }),
        h("button", { key: "no", type: "button", id: "step-cancel", text: T.cancel, onclick: function () { askNext(false); } })])]);
    // under its button, inside the page's width
    var room = box.parentNode.clientWidth - box.offsetWidth - 8;
    box.style.left = Math.max(8, Math.min($("step-next").offsetLeft, room)) + "px";
  }

  /* Asked once, in place: what would be withdrawn, with a confirm and a cancel button. */
  var asking = {};  // "proposal:3" → its withdrawal is being asked
  function ask(key, on) { if (on) asking[key] = true; else delete asking[key]; rerender(); }
  function askRow(key, onYes) {
    return h("span", { key: "ask", className: "ask", role: "group" }, [h("span", { text: T.confirm_withdraw }),
      h("button", { type: "button", className: "danger", text: T.withdraw, onclick: function () {
        onYes().then(function (r) { if (r.ok) delete asking[key]; }); } }),
      h("button", { type: "button", text: T.cancel, onclick: function () { ask(key, false); } })]);
  }
  var editing = {};  // "proposal:3", "action:5" → edited in place
  function edit(key, on) { if (on) editing[key] = true; else delete editing[key]; rerender(); }

  function renderParticipants(s, step) {
    var remote = s.participants.remote || [];  // voted from afar, not present: one line under those present
    var leave = boot.format.mark_left && step !== "closed";  // the format seats only who is here
    C.fill($("participants"), s.participants.list.map(function (p) {
      return h("li", { key: p.id, className: p.left ? "muted" : "" }, [p.name + (p.door ? " · " + p.door : "") + (p.left ? " (" + T.f.left + ")" : ""),
        leave ? h("button", { type: "button", className: "small", text: p.left ? T.f.came_back : T.f.went_home,
          onclick: function () { act("participant.leave", { participant_id: p.id, left: !p.left }); } }) : null]);
    }).concat(remote.length ? [h("li", { key: "remote", id: "remote-voters", className: "muted", text: C.count(T.n.remote_voters, remote.length) + ": " +
      remote.map(function (p) { return p.name + (p.door ? " · " + p.door : ""); }).join("、") })] : []));
  }

  function personOption(p) { return h("option", { key: p.id, value: p.id, text: p.name + (p.door ? " · " + p.door : "") }); }
  function here(s) { return s.participants.list.filter(function (p) { return !p.left; }); }

  /* ---- topics ---- */

  var editingTopics = {};  // topic id → its text is being edited in place
  function editTopic(id, on) {
    if (on) editingTopics[id] = true; else delete editingTopics[id];
    rerender();
  }

  function renderTopics(s, step) {
    var editable = step === "raise" || step === "discuss";
    var live = s.topics.filter(function (t) { return !t.merged_into && !t.hidden && t.review === "approved"; });
    // waiting topics are in the moderation queue, rejected ones nowhere but the audit trail
    var listed = s.topics.filter(function (t) { return t.review === "approved"; });
    C.fill($("topics"), listed.length ? listed.map(function (t) { return topicRow(t, live, editable); })
      : [h("li", { key: "empty", className: "empty", text: T.no_topics })]);
    renderModeration(s);
    fillSelect("#proposal-form select[name=topic_id]", firstOption["#proposal-form select[name=topic_id]"], live.map(function (t) {
      return h("option", { key: t.id, value: t.id, text: "#" + t.id + " " + t.text.slice(0, 40) });
    }));
    // a topic entered for a resident without a phone is theirs (in an Open Space, they convene it)
    var who = document.querySelector("#topic-form select[name=participant_id]");
    who.hidden = false;
    fillSelect("#topic-form select[name=participant_id]", (T.f && T.f.no_convener) || firstOption["#topic-form select[name=participant_id]"],
      here(s).map(personOption));
  }

  /* One topic of the list: its text (or the form editing it), supporters, tags, controls. */
  function topicRow(t, live, editable) {
    var into = t.merged_into ? conn.state().topics.filter(function (o) { return o.id === t.merged_into; })[0] : null;
    var tags = [t.hidden ? T.hidden : null,
      into ? C.fmt(T.mod_console.merged_into, { target: "#" + into.id + " " + into.text }) : null].filter(Boolean);
    var editing = editable && editingTopics[t.id] && !t.merged_into;
    return h("li", { key: t.id, className: "item" + (t.hidden || t.merged_into ? " muted" : ""), "data-topic": t.id }, [
      h("span", { key: "id", className: "id", text: "#" + t.id }),
      editing ? h(TopicEdit, { key: "edit", t: t }) : h("span", { key: "text", className: "text", text: t.text }),
      h("span", { key: "count", className: "count", text: C.count(T.n.supporters, t.supports) + (t.author ? " · " + t.author : "") }),
      tags.length ? h("span", { key: "tags", className: "tag", text: tags.join(" · ") }) : null,
      h("span", { key: "controls", className: "controls" }, !editable ? [] : t.merged_into ? [
        h("button", { key: "unmerge", type: "button", "data-unmerge": t.id, text: T.mod_console.unmerge,
          onclick: function () { act("topic.unmerge", { topic_id: t.id }); } })] : topicControls(t, live, editing)),
      merging[t.id] ? mergeAsk(t, live) : null
    ]);
  }

  /* A merge is picked from the list, then asked once in place: confirm or cancel. */
  var merging = {};  // source topic id → the target picked
  function pickMerge(id, target) { if (target) merging[id] = target; else delete merging[id]; rerender(); }
  function mergeAsk(t, live) {
    var target = live.filter(function (o) { return o.id === merging[t.id]; })[0];
    if (!target) { delete merging[t.id]; return null; }  // gone meanwhile: nothing to confirm
    return h("span", { key: "ask", className: "ask", role: "group", "data-merge-ask": t.id }, [
      h("span", { key: "q", text: C.fmt(T.mod_console.confirm_merge, { source: t.text.slice(0, 30), target: target.text.slice(0, 30) }) }),
      h("button", { key: "yes", type: "button", className: "primary", text: T.mod_console.do_merge, onclick: function () {
        act("topic.merge", { source_id: t.id, target_id: target.id }).then(function () { pickMerge(t.id, null); }); } }),
      h("button", { key: "no", type: "button", text: T.cancel, onclick: function () { pickMerge(t.id, null); } })]);
  }

  function topicControls(t, live, editing) {
    var others = live.filter(function (o) { return o.id !== t.id; });
    return [
      h("button", { key: "hide", type: "button", text: t.hidden ? T.show : T.hide,
        onclick: function () { act("topic.hide", { topic_id: t.id, hidden: !t.hidden }); } }),
      editing ? null : h("button", { key: "edit", type: "button", text: T.edit, onclick: function () { editTopic(t.id, true); } }),
      others.length ? h("select", { key: "merge", "aria-label": T.merge_into, value: String(merging[t.id] || ""), onchange: function (ev) {
        pickMerge(t.id, ev.target.value ? int(ev.target.value) : null);
      } }, [h("option", { key: "", value: "", text: T.merge_into })].concat(others.map(function (o) {
        return h("option", { key: o.id, value: o.id, text: "#" + o.id + " " + o.text.slice(0, 30) });
      }))) : null
    ];
  }

  /* A topic's text edited in place: the field takes the focus, the caret at the end. */
  function TopicEdit(props) {
    var t = props.t, d = useDraft({ text: t.text }), input = useRef(null);
    useEffect(function () {
      var box = input.current;
      if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
    }, []);
    return h("form", { className: "inline text topic-edit", "data-topic-edit": t.id,
      onsubmit: submit(function () {
        act("topic.edit", { topic_id: t.id, text: d.values.text }).then(function (r) { if (r.ok) editTopic(t.id, false); });
      }),
      onkeydown: function (ev) { if (ev.key === "Escape") editTopic(t.id, false); } }, [
      h("input", Object.assign({ ref: input, maxlength: "200", required: true, "aria-label": T.edit }, d.field("text"))),
      h("button", { type: "submit", className: "primary", text: T.save }),
      h("button", { type: "button", text: T.cancel, onclick: function () { editTopic(t.id, false); } })]);
  }

  /* Pre-moderation: the switch, and what waits for the facilitator's OK (topics, café ideas).
     The queue keeps its height while pre-moderation is on: an item arriving moves nothing. */
  function renderModeration(s) {
    var m = T.mod_console, on = s.session.premoderation;
    var waiting = s.topics.filter(function (t) { return t.review === "pending"; }).map(function (t) {
      return { key: "topic:" + t.id, kind: null, text: t.text, who: t.author, event: "topic", id: { topic_id: t.id } };
    }).concat((s.ideas || []).filter(function (i) { return i.review === "pending"; }).map(function (i) {
      return { key: "idea:" + i.id, kind: m.idea, text: i.text, who: null, event: "idea", id: { idea_id: i.id } };
    }));
    C.fill($("moderation"), [
      h("label", { key: "switch", className: "switch" }, [
        h("input", { type: "checkbox", id: "premoderation", checked: on,
          onchange: function (ev) { act("session.moderation", { on: ev.target.checked }); } }), " " + m.switch]),
      on || waiting.length ? h("h3", { key: "title", text: m.queue + " · " + waiting.length }) : null,
      on || waiting.length ? h("ul", { key: "queue", id: "mod-queue", className: "items",
        style: "height:12.5em;overflow-y:auto;border:1px solid #e6dccb;border-radius:.4em;padding:0 .5em" }, waiting.length ? waiting.map(function (w) {
          return h("li", { key: w.key, className: "item", "data-pending": w.key }, [
            w.kind ? h("span", { key: "kind", className: "tag", text: w.kind }) : null,
            h("span", { key: "text", className: "text", text: w.text }),
            w.who ? h("span", { key: "who", className: "count", text: w.who }) : null,
            h("span", { key: "controls", className: "controls" }, [
              h("button", { key: "ok", type: "button", className: "primary", text: m.approve,
                onclick: function () { act(w.event + ".approve", w.id); } }),
              h("button", { key: "no", type: "button", text: m.reject,
                onclick: function () { act(w.event + ".reject", w.id); } })])]);
        }) : [h("li", { key: "empty", className: "empty", text: m.none_waiting })]) : null]);
  }

  /* ---- proposals and polls ---- */

  /* The steps before decide, where a poll opens only with a voting window (issue 15). */
  function before(step) { return step === "raise" || step === "discuss"; }

  function pollFor(s, proposalId) {
    var found = null;
    s.polls.forEach(function (p) { if (p.proposal_id === proposalId) found = p; });
    return found;
  }

  function bars(tally) {
    return h("div", { className: "bars" }, T.order.choices.map(function (c) {
      var pct = tally.cast ? Math.round(100 * tally[c] / tally.cast) : 0;
      return h("div", { key: c, className: "bar" }, [h("span", { text: T.choices[c] + " " + tally[c] }),
        h("b", {}, [h("i", { className: c, style: "width:" + pct + "%" })])]);
    }));
  }

  /* A proposal's title and text, changed in place until a poll is opened on it. */
  function ProposalEdit(props) {
    var p = props.p, d = useDraft({ title: p.title, text: p.text || "" }), key = "proposal:" + p.id;
    return h("form", { className: "stack proposal-edit", "data-proposal-edit": p.id, onsubmit: submit(function () {
      act("proposal.edit", { proposal_id: p.id, title: d.values.title, text: d.values.text }).then(function (r) { if (r.ok) edit(key, false); });
    }), onkeydown: function (ev) { if (ev.key === "Escape") edit(key, false); } }, [
      h("input", Object.assign({ maxlength: "200", required: true, "aria-label": T.edit }, d.field("title"))),
      h("textarea", Object.assign({ maxlength: "500", rows: "2", "aria-label": T.edit }, d.field("text"))),
      h("span", { className: "row" }, [h("button", { type: "submit", className: "primary", text: T.save }),
        h("button", { type: "button", text: T.cancel, onclick: function () { edit(key, false); } })])]);
  }

  /* Opening a poll: rule, unit, secret, quorum; the everyday rule first. Before decide
     (`early`) only with a voting window, which the form then asks for: the residents vote from
     afar until the meeting. Its fields are the browser's own (uncontrolled): an update of the
     page (a vote, a topic, a phone joining) patches around them and never resets a draft. */
  /* The whole hours from now until the meeting starts, and a day more: a window before the
     meeting must last until it (the server refuses a shorter one); at least one hour. */
  function untilMeeting() {
    var starts = Date.parse(boot.starts_at || "");
    var hours = isNaN(starts) ? 0 : Math.ceil((starts - Date.now()) / 3600000);
    return Math.min(720, Math.max(1, hours + 24));
  }

  function OpenForm(props) {
    var p = props.p, early = props.early, words = boot.early;
    var window_ = early
      ? h("label", { key: "window", className: "num" }, [words.hours, h("input", { type: "number", min: "1", max: "720", name: "window", required: true,
          defaultValue: String(untilMeeting()) })])
      : h("label", { key: "window", className: "num" }, [T.window_hours, h("input", { type: "number", min: "0", max: "720", name: "window", defaultValue: "0" })]);
    return h("form", { className: "poll-open stack" + (early ? " early" : ""), "data-early": early ? "1" : null, onsubmit: submit(function (f) {
      var e = f.elements, quorum = num(e.quorum.value), hours = num(e.window.value);
      var payload = { proposal_id: p.id, rule: e.rule.value, unit: e.unit.value, secret: e.secret.checked };
      if (quorum > 0) payload.quorum = quorum;
      if (hours > 0) payload.closes_in_minutes = hours * 60;  // a voting window: remote votes, closes by itself
      act("poll.open", payload);
    }) }, [
      early ? h("b", { key: "title", text: words.title }) : null,
      early ? h("p", { key: "hint", className: "hint", text: words.hint }) : null,
      // the rules and units in the server's order (the page's JSON sorts object keys)
      h("select", { key: "rule", name: "rule", "aria-label": T.rules.majority_cast }, T.order.rules.map(function (r) { return h("option", { key: r, value: r, text: T.rules[r] }); })),
      h("select", { key: "unit", name: "unit" }, T.order.units.map(function (u) { return h("option", { key: u, value: u, text: T.units[u] }); })),
      h("label", { key: "secret", className: "check" }, [h("input", { type: "checkbox", name: "secret" }), T.secret_ballot]),
      h("label", { key: "quorum", className: "num" }, [T.quorum, h("input", { type: "number", min: "0", name: "quorum", defaultValue: "0" })]),
      window_,
      h("button", { key: "open", type: "submit", className: early ? "" : "primary", text: early ? words.open : T.open_poll })]);
  }

  /* The show of hands and the paper ballots as one table, a row per channel and a column per
     choice: each heading is written once, so no label is squeezed beside its field. Each row is
     its own form; the rows share the table's columns (CSS subgrid). */
  function countTable(poll) {
    var head = h("div", { key: "head", className: "count-head", "aria-hidden": "true" }, [h("span", { key: "-" })].concat(
      T.order.choices.map(function (c) { return h("span", { key: c, text: T.choices[c] }); }), [h("span", { key: "+" })]));
    return h("div", { className: "count-table" }, [head,
      h(CountForm, { key: "hands", poll: poll, channel: "hands" }), h(CountForm, { key: "paper", poll: poll, channel: "paper" })]);
  }

  function CountForm(props) {
    var poll = props.poll, channel = props.channel, current = (poll.channels || {})[channel] || { yes: 0, no: 0, abstain: 0 }, server = {};
    T.order.choices.forEach(function (c) { server[c] = String(current[c]); });
    var d = useDraft(server);
    return h("form", { className: "counts", "data-channel": channel, onsubmit: submit(function () {
      var v = d.values;
      act("poll.count", { poll_id: poll.id, channel: channel, yes: num(v.yes), no: num(v.no), abstain: num(v.abstain) })
        .then(function (r) { if (r.ok) d.done(); });
    }) }, [h("b", { key: "name", text: T.channels[channel] })].concat(
      T.order.choices.map(function (c) {
        return h("input", Object.assign({ key: c, type: "number", min: "0", max: "100000", "aria-label": T.channels[channel] + " " + T.choices[c] }, d.field(c)));
      }), [h("button", { key: "save", type: "submit", text: T.save })]));
  }

  /* A named vote entered for a resident (or a household, by door number). */
  function EnterForm(props) {
    var poll = props.poll;
    var who = poll.unit === "household"
      ? h("input", { name: "door", placeholder: T.door, maxlength: "20", required: true })
      : h("select", { name: "participant", required: true }, props.people.map(personOption));
    return h("form", { className: "inline enter", onsubmit: submit(function (f) {
      var e = f.elements, payload = { poll_id: poll.id, choice: e.choice.value };
      if (poll.unit === "household") payload.door_number = e.door.value; else payload.participant_id = int(e.participant.value);
      act("ballot.enter", payload).then(function (r) { if (r.ok && e.door) e.door.value = ""; });
    }) }, [h("b", { text: T.enter_vote }), who,
      h("select", { name: "choice" }, T.order.choices.map(function (c) { return h("option", { key: c, value: c, text: T.choices[c] }); })),
      h("button", { type: "submit", text: T.save })]);
  }

  function AttendanceForm(props) {
    var poll = props.poll, d = useDraft({ present: poll.present === null ? "" : String(poll.present) });
    return h("form", { className: "inline", onsubmit: submit(function () {
      act("poll.attendance", { poll_id: poll.id, present: num(d.values.present) }).then(function (r) { if (r.ok) d.done(); });
    }) }, [h("label", { className: "num" }, [T.attendance, h("input", Object.assign({ type: "number", min: "0", max: "100000" }, d.field("present")))]),
      h("button", { type: "submit", text: T.save })]);
  }

  function ballotList(s, poll) {
    var b = (s.ballots || {})[String(poll.id)] || { ballots: [], took_part: [], conflicts: [] }, out = [];
    if (b.conflicts.length) {
      out.push(h("p", { key: "conflicts", className: "tag warn", text: T.conflicts + ": " + b.conflicts.map(function (c) {
        return c.voter + " (" + T.channels[c.replaced] + " → " + T.channels[c.channel] + ")"; }).join(", ") }));
    }
    var names = b.ballots.length ? b.ballots.map(function (x) {
      return x.voter + (x.choice ? " " + T.choices[x.choice] : "") + (x.channel === "entered" ? " (" + T.channels.entered + ")" : ""); })
      : b.took_part;
    if (names.length) out.push(h("details", { key: "roll" }, [h("summary", { text: T.roll_call + " (" + names.length + ")" }), h("p", { text: names.join("、") })]));
    return out;
  }

  /* Whether a proposal becomes an article of the convention, amends one or repeals one. */
  function ArticleForm(props) {
    var s = props.s, p = props.p, mark = p.article || { kind: "none", target: null };
    var articles = s.convention.articles || [];
    var d = useDraft({ kind: mark.kind, target: String(mark.target || (articles[0] ? articles[0].number : "")) });
    return h("form", { className: "inline article", onsubmit: submit(function () {
      var payload = { proposal_id: p.id, kind: d.values.kind };
      if (d.values.kind === "amend" || d.values.kind === "repeal") payload.target = int(d.values.target);
      act("proposal.article", payload).then(function (r) { if (r.ok) d.done(); });
    }) }, [h("b", { text: T.convention }),
      h("select", d.field("kind"), ["none", "add", "amend", "repeal"].map(function (k) { return h("option", { key: k, value: k, text: T.article_kinds[k] }); })),
      h("select", Object.assign({ "aria-label": T.article }, d.field("target")), articles.map(function (a) {
        return h("option", { key: a.number, value: String(a.number), text: a.label + " " + a.text.slice(0, 20) }); })),
      h("button", { type: "submit", text: T.save })]);
  }

  function articleTag(s, p) {
    var target = p.article.target ? (s.convention.articles.filter(function (a) { return a.number === p.article.target; })[0] || { label: "" }).label : "";
    return h("span", { key: "article", className: "tag", text: T.convention + " · " + T.article_kinds[p.article.kind] + (target ? " " + target : "") });
  }

  function renderProposals(s, step) {
    C.fill($("proposals"), s.proposals.map(function (p) { return proposalItem(s, step, p); }));
    fillSelect("#action-form select[name=owner_participant_id]", firstOption["#action-form select[name=owner_participant_id]"],
      here(s).map(personOption));
    fillSelect("#action-form select[name=decision_id]", null, s.polls.filter(function (p) { return p.decision && p.decision.adopted; }).map(function (p) {
      var prop = s.proposals.filter(function (x) { return x.id === p.proposal_id; })[0];
      return h("option", { key: p.decision.id, value: p.decision.id, text: prop ? prop.title : "#" + p.decision.id });
    }));
  }

  function proposalItem(s, step, p) {
    var poll = pollFor(s, p.id), children = [h("p", { key: "title", className: "strong", text: p.title }),
      p.text ? h("p", { key: "text", text: p.text }) : null,
      p.from ? h("span", { key: "from", className: "tag", text: T.f["from_" + p.from] || "" }) : null];
    if (p.article) children.push(articleTag(s, p));
    if ((before(step) || step === "decide") && !poll) {
      var key = "proposal:" + p.id;
      if (editing[key]) children = [h(ProposalEdit, { key: "edit", p: p })].concat(children.slice(2));
      else children.push(h("span", { key: "controls", className: "controls" }, asking[key]
        ? [askRow(key, function () { return act("proposal.withdraw", { proposal_id: p.id }); })]
        : [h("button", { key: "edit", type: "button", text: T.edit, onclick: function () { edit(key, true); } }),
           h("button", { key: "withdraw", type: "button", text: T.withdraw, onclick: function () { ask(key, true); } })]));
    }
    if ((step === "discuss" || step === "decide") && !(poll && poll.decision)) children.push(h(ArticleForm, { key: "article-form", s: s, p: p }));
    if (poll && poll.status === "open") {
      children.push(h("span", { key: "live", className: "tag live", text: T.open }));  // its controls are in #poll-live, at the top
    } else if (poll) {
      children.push(h("div", { key: "result" }, [bars(poll.tally), C.certificate(poll.certificate)].concat(ballotList(s, poll))));
    } else if (step === "decide") {
      children.push(h(OpenForm, { key: "open", p: p }));
    } else if (before(step) && !editing["proposal:" + p.id]) {
      children.push(h(OpenForm, { key: "open-early", p: p, early: true }));  // a voting window only
    }
    return h("li", { key: p.id, className: "item block", "data-proposal": p.id }, children);
  }

  /* Each open poll as one card at the top of the page, laid out to fit a 1366×768 screen with
     its close button: where it stands on the left, what the facilitator enters on the right. */
  function renderLive(s) {
    var open = s.polls.filter(function (poll) { return poll.status === "open"; });
    $("poll-live").hidden = !open.length;
    C.fill($("poll-live"), open.map(function (poll) { return pollCard(s, poll); }));
  }

  /* A voting window's deadline in this laptop's time: month-day hour:minute. */
  function pollCard(s, poll) {
    var p = s.proposals.filter(function (x) { return x.id === poll.proposal_id; })[0] || { id: poll.proposal_id, title: "" };
    var state = [h("p", { key: "rule", className: "tag", text: T.rules[poll.rule] + " · " + T.units[poll.unit] + (poll.secret ? " · " + T.secret_ballot : "") +
        (poll.closes_at ? " · " + T.voting_closes + " " + poll.closes_at_local : "") }),
      // where residents vote from afar while the window is open (issue 15)
      poll.closes_at ? h("p", { key: "remote", className: "hint" }, [T.remote_link + ": ", h("span", { className: "mono nobr", text: boot.remote_url })]) : null,
      // a secret poll's counts stay on the server until it closes: only turnout shows
      poll.secret ? h("p", { key: "secret", className: "note", text: T.secret_counts_later }) : h("div", { key: "bars" }, [bars(poll.tally)]),
      h("p", { key: "count", className: "count" }, turnout(poll))];
    // what may be entered under this rule is the server's word (poll.inputs), not the page's
    // before the meeting reaches decide the poll takes remote votes only: hands, paper and
    // entered votes are the room's (the server refuses them too)
    var early = s.session.step === "raise" || s.session.step === "discuss";
    var entry = [early ? h("p", { key: "early", className: "hint", text: T.room_votes_at_decide }) :
        h(EnterForm, { key: "enter", poll: poll, people: s.participants.list }),
      poll.inputs.attendance && !early ? h(AttendanceForm, { key: "attendance", poll: poll }) : null,
      h("button", { key: "close", type: "button", className: "primary close", text: T.close_poll,
        onclick: function () { act("poll.close", { poll_id: poll.id }); } })];
    return h("article", { key: poll.id, className: "poll-card", "data-proposal": p.id, "data-poll": poll.id }, [
      h("h2", { className: "poll-title" }, [h("span", { className: "tag live", text: T.open }), h("span", { text: p.title })]),
      h("div", { className: "poll-body" }, [
        h("div", { key: "state", className: "poll-state" }, state.concat(ballotList(s, poll))),
        poll.inputs.counts && !early ? h("div", { key: "counts", className: "poll-counts" }, [countTable(poll)]) : null,
        h("div", { key: "entry", className: "poll-entry" }, entry)])]);
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

  /* ---- actions ---- */

  function renderActions(s, step) {
    C.fill($("actions"), s.actions.length ? s.actions.map(function (a) { return actionItem(a, step); })
      : [h("li", { key: "empty", className: "empty", text: T.no_actions })]);
  }

  function actionItem(a, step) {
    var r = a.ratings, controls = [], key = "action:" + a.id, live = step === "do" || step === "evaluate";
    // what residents have rated stays as they rated it: edited or withdrawn only before that
    // an escalation is done when its reply is entered in the inbox: rated here, never edited
    var changeable = live && !r.total && !a.issue, editingIt = changeable && editing[key];
    if (live && !a.issue) {
      controls.push(h("select", { key: "status", "aria-label": T.status, value: a.status,
        onchange: function (ev) { act("action.update", { action_id: a.id, status: ev.target.value }); } },
        T.order.statuses.map(function (v) { return h("option", { key: v, value: v, text: T.statuses[v] }); })));
    }
    if (step === "evaluate") {
      controls.push(h("button", { key: "rating", type: "button", className: a.rating_open ? "" : "primary",
        text: a.rating_open ? T.close_rating : T.open_rating,
        onclick: function () { act("rating.open", { action_id: a.id, open: !a.rating_open }); } }));
    }
    if (changeable && !editingIt && !asking[key]) {
      controls.push(h("button", { key: "edit", type: "button", text: T.edit, onclick: function () { edit(key, true); } }));
      // an action of an earlier meeting is reported on here, never withdrawn
      if (!a.carried) controls.push(h("button", { key: "withdraw", type: "button", text: T.withdraw, onclick: function () { ask(key, true); } }));
    }
    if (changeable && asking[key]) controls = [askRow(key, function () { return act("action.withdraw", { action_id: a.id }); })];
    var counts = T.ratings.satisfied + " " + r.satisfied + " · " + T.ratings.basic + " " + r.basic + " · " + T.ratings.dissatisfied + " " + r.dissatisfied;
    return h("li", { key: a.id, className: "item block", "data-action": a.id }, [
      editingIt ? h(ActionEdit, { key: "edit", a: a }) : h("p", { key: "what", className: "strong", text: a.what }),
      a.carried ? h("span", { key: "carried", className: "tag", text: a.issue ? T.escalated : T.carried + " · " + a.origin }) : null,
      editingIt ? null : h("p", { key: "who", text: T.owner + ": " + a.owner + "（" + T.owner_kinds[a.owner_kind] + "） · " + T.deadline + ": " + a.deadline + " · " + T.statuses[a.status] }),
      a.note ? h("p", { key: "note", className: "hint", text: (a.issue ? T.reply + ": " : "") + a.note }) : null,
      // after the end the ratings are final: no "rating open" stays on an action
      step === "closed" ? h("p", { key: "final", className: "count final", text: T.ratings_final + ": " + (r.total ? counts : T.none) })
        : r.total ? h("p", { key: "ratings", className: "count", text: counts }) : null,
      a.rating_open && step === "evaluate" ? h("span", { key: "rating-open", className: "tag", text: T.rating_open }) : null,
      h("span", { key: "controls", className: "controls" }, controls)
    ]);
  }

  /* An action's text, owner and deadline, changed in place until residents rate it. */
  function ActionEdit(props) {
    var a = props.a, key = "action:" + a.id;
    var d = useDraft({ what: a.what, owner: a.owner, owner_kind: a.owner_kind, deadline: a.deadline });
    return h("form", { className: "stack action-edit", "data-action-edit": a.id, onsubmit: submit(function () {
      var v = d.values;
      act("action.update", { action_id: a.id, what: v.what, owner: v.owner, owner_kind: v.owner_kind, deadline: v.deadline })
        .then(function (r) { if (r.ok) edit(key, false); });
    }), onkeydown: function (ev) { if (ev.key === "Escape") edit(key, false); } }, [
      h("input", Object.assign({ maxlength: "200", required: true, "aria-label": T.what }, d.field("what"))),
      h("span", { className: "row" }, [
        h("input", Object.assign({ maxlength: "40", required: true, "aria-label": T.owner }, d.field("owner"))),
        h("select", Object.assign({ "aria-label": T.kind_of_owner }, d.field("owner_kind")), Object.keys(T.owner_kinds).map(function (k) {
          return h("option", { key: k, value: k, text: T.owner_kinds[k] }); })),
        h("input", Object.assign({ type: "date", required: true, "aria-label": T.deadline }, d.field("deadline")))]),
      h("span", { className: "row" }, [h("button", { type: "submit", className: "primary", text: T.save }),
        h("button", { type: "button", text: T.cancel, onclick: function () { edit(key, false); } })])]);
  }
})();
