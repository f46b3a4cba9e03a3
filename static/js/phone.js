/* The resident's phone: join once, then follow the facilitator's step live. Sections render
   from the state with keyed children (Preact), so focus, caret, scroll and the card under a
   finger stay; the typed forms are the page's own. `ui` is what only this phone knows. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.h, boot = C.readJSON("boot");
  var FORMAT = boot.format;  // what this session's format changes on the phone (flags from the server)
  var KEY = "council.token." + boot.code, VOTES = "council.votes." + boot.code, conn = null;
  // one device token for the whole community: any session of it knows this phone as the same resident
  var HOME = "council.token.c" + boot.home, WHO = "council.me.c" + boot.home;
  var $ = function (id) { return document.getElementById(id); };
  var ui = {
    orders: {}, resort: {}, used: {},  // the order each list was shown in (steady)
    intents: stored(VOTES) || {},      // poll id → { choice, client_id }: tapped, not yet answered
    sending: {}, late: {}, shown: {}   // on the wire; came after the close; brought into view once
  };

  function stored(key) {
    try { return JSON.parse(window.localStorage.getItem(key)); } catch (e) { return null; }
  }
  function store(key, value) {
    try { window.localStorage.setItem(key, typeof value === "string" ? value : JSON.stringify(value)); } catch (e) { /* private mode */ }
  }
  function storedToken(key) {
    try { return window.localStorage.getItem(key || KEY); } catch (e) { return null; }
  }
  function storeToken(t, name, door) {
    store(KEY, t); store(HOME, t); store(WHO, { name: name, door: door });  // private mode: the cookie below
    document.cookie = "council_token_" + boot.code + "=" + t + "; max-age=31536000; path=/; samesite=lax";
    // the device's token for the council pages too (an issue raised any day is this resident's)
    if (!deviceToken()) document.cookie = "council_device=" + t + "; max-age=63072000; path=/; samesite=lax";
  }
  function deviceToken() {
    var m = document.cookie.match(/(?:^|; )council_device=([A-Za-z0-9_-]+)/);
    return m ? m[1] : null;
  }
  function cookieToken() {
    var m = document.cookie.match(new RegExp("council_token_" + boot.code + "=([A-Za-z0-9_-]+)"));
    return m ? m[1] : null;
  }

  // A closed session's page comes without a join form (templates/phone/session.html).
  var form = $("join-form");
  function showJoin() { form.hidden = false; $("live").hidden = true; }
  function showLive() { if (form) form.hidden = true; if ($("welcome-box")) $("welcome-box").hidden = true; $("live").hidden = false; }

  /* Said under the button, where nothing follows that could move: never a browser dialog. */
  function joinRefused(message) {
    var el = $("join-error");
    el.textContent = message || ""; el.hidden = !message;
  }

  if (form) form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = C.formData(form), token = storedToken() || cookieToken() || storedToken(HOME) || deviceToken() || C.randomId() + C.randomId().slice(0, 8);
    var button = ev.submitter || form.querySelector("button[type=submit]");
    button.disabled = true; joinRefused("");
    fetch("/api/join/" + encodeURIComponent(boot.code), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": C.csrf() },
      body: JSON.stringify({ name: data.name, door: data.door, token: token })
    }).then(function (r) { return r.json(); }).then(function (reply) {
      button.disabled = false;
      // It ended while this form was open: the server's page of a closed session shows what it decided.
      if (!reply.ok && reply.error.code === "session_closed") { window.location.reload(); return; }
      if (!reply.ok) { joinRefused(reply.error.message); return; }
      storeToken(reply.device_token, data.name, data.door);
      start(reply.device_token);
    }).catch(function () { button.disabled = false; joinRefused(T.error); });
  });

  function start(token) {
    showLive();
    conn = C.live({ role: "phone", code: boot.code, token: token }, render, function (err) {
      if (err.code === "not_participant") {
        conn.socket.disconnect(); $("conn").textContent = "";
        if (form) showJoin();  // a closed session's view stays, as a latecomer's
      }
      else if (err.message) C.flash(err.message);
    });
    conn.socket.on("connect", flush);  // votes kept through a drop-out go now
    conn.socket.on("disconnect", function () { render(conn.state()); });
    setInterval(function () {
      var s = conn.state();
      if (s.session && s.session.step === "closed") $("timer").hidden = true;  // no countdown after the end
      else C.clock($("timer"), s.session, conn.now);
    }, 500);
  }

  function act(event, payload, opts) {
    return conn.send(event, payload, opts).then(function (reply) {
      if (!reply.ok) { C.flash(reply.error.message); return reply; }
      var me = reply.me || conn.state().me;
      if (me && reply.value) me.ratings[String(reply.action_id)] = reply.value;
      conn.setMe(me);
      return reply;
    });
  }

  $("topic-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = ev.target.elements.text;
    act("topic.raise", { text: box.value }).then(function (r) {
      if (r.ok) { box.value = ""; C.flash(r.review === "pending" ? T.mod.thanks_pending : T.thanks_topic, "ok"); }
    });
  });

  /* A vote is kept (memory, storage) until the server answers: through a drop-out, even a closed
     page, it goes when the connection is back. One client id per tap: resends count once. */
  function vote(poll, choice) {
    var id = String(poll.id);
    ui.intents[id] = { choice: choice, client_id: C.randomId() };
    delete ui.late[id];
    store(VOTES, ui.intents);
    flush();
  }

  function flush() {
    Object.keys(ui.intents).forEach(send);
    render(conn.state());
  }

  function send(id) {
    var intent = ui.intents[id];
    if (!intent || ui.sending[id] || !conn.socket.connected) return;  // offline: on the next connect
    ui.sending[id] = true;
    conn.socket.timeout(6000).emit("ballot.cast", { poll_id: parseInt(id, 10), choice: intent.choice, client_id: intent.client_id },
      function (err, reply) {
        delete ui.sending[id];
        if (err || (!reply.ok && reply.error.code === "busy")) {  // kept: again soon, or on connect
          setTimeout(function () { send(id); render(conn.state()); }, err ? 1000 : 300);
          return;
        }
        var newer = ui.intents[id] !== intent;
        if (!newer) { delete ui.intents[id]; store(VOTES, ui.intents); }
        answered(id, reply, newer);
        if (newer) send(id);  // a later tap waited for this answer
        render(conn.state());
      });
  }

  function answered(id, reply, newer) {
    var me = conn.state().me;
    if (!reply.ok) {
      if (reply.error.code === "poll_closed") ui.late[id] = true;  // said on the poll, and it stays
      else if (!newer) C.flash(reply.error.message);
      return;
    }
    if (me) { me.ballots[id] = reply.choice; if (me.set_by) delete me.set_by[id]; }  // this phone's vote now
    if (!newer) C.flash(T.vote_saved, "ok");
  }

  /* A list in the order this phone showed it: nothing moves under a finger. New items go last;
     the ranking comes back on request (a button always there) or when the list shows again. */
  function steady(name, items, rank) {
    var ranked = items.slice().sort(rank), left = {}, out = [];
    ranked.forEach(function (it) { left[it.id] = it; });
    (ui.resort[name] ? [] : ui.orders[name] || []).forEach(function (id) {
      if (left[id]) { out.push(left[id]); delete left[id]; }
    });
    ranked.forEach(function (it) { if (left[it.id]) out.push(it); });
    ui.orders[name] = out.map(function (it) { return it.id; });
    ui.used[name] = true; delete ui.resort[name];
    var moved = out.some(function (it, i) { return it !== ranked[i]; });
    return { items: out, sorter: h("button", { type: "button", key: "sort", className: "sorter", disabled: !moved, text: T.sort_again,
      onclick: function () { ui.resort[name] = true; render(conn.state()); } }) };
  }
  C.steady = steady;  // the dot cards too

  function render(s) {
    if (!s.session) return;
    var step = s.session.step, me = s.me || { supports: [], ballots: {}, ratings: {} };
    if (me.remote && form && step !== "closed") { arrive(me); return; }
    ui.used = {};
    $("title").textContent = s.session.title;
    $("step").textContent = T.steps[step];
    var hint = Object.prototype.hasOwnProperty.call(FORMAT.hints, step) ? FORMAT.hints[step] : null;
    $("hint").textContent = hint === null ? T.step_hint[step] : hint ? T.f[hint] : "";
    $("hint").hidden = step === "closed";  // 已结束 says it; what was decided comes first, the thanks last
    $("me").textContent = me.name ? me.name + (me.door ? " · " + me.door : "") : "";
    $("raise").hidden = step !== "raise";
    // something to do now (vote, rate, dot): a compact header, so it is on the first screen
    document.body.classList.toggle("doing", toDo(s, step));
    if (C.phoneFormats) C.phoneFormats(s, me, step, act);
    if (FORMAT.topics_on_phone) renderTopics(s, me, step); else $("topics-box").hidden = true;
    renderOwn(s, me, step);
    renderProposals(s, step);
    renderPolls(s, me, step);
    renderDecisions(s, me, step);
    renderActions(s, me, step);
    $("record-box").hidden = $("thanks").hidden = step !== "closed";
    if (step === "closed") $("timer").hidden = true;
    Object.keys(ui.orders).forEach(function (name) { if (!ui.used[name]) delete ui.orders[name]; });
  }

  function toDo(s, step) {
    if (step === "decide") return (s.polls || []).some(function (p) { return p.status === "open"; });
    if (step === "evaluate") return (s.actions || []).some(function (a) { return a.rating_open; });
    return (step === "raise" || step === "discuss") && !!s.dots && s.dots.status === "open";
  }

  /* A section shows its keyed items, or hides. */
  function section(name, show, items) {
    $(name + "-box").hidden = !show;
    if (show) C.fill($(name), items);
  }

  /* Her own topics (and café ideas) not on the wall as raised: waiting for the facilitator,
     not approved, or merged into another topic, named by its text. */
  function renderOwn(s, me, step) {
    var M = T.mod, topics = me.own_topics || [], ideas = me.own_ideas || [];
    $("premod-note").hidden = !s.session.premoderation;
    $("own-title").textContent = topics.length || !ideas.length ? M.your_topics : M.your_ideas;
    section("own", step !== "closed" && topics.length + ideas.length > 0, topics.concat(ideas).map(function (t) {
      var said = t.merged_into ? C.fmt(M.merged_into, { topic: t.merged_into.text || "…" }) : M[t.review];
      return h("li", { key: (t.merged_into === undefined ? "idea:" : "topic:") + t.id, className: "card" }, [
        h("p", { className: "text", text: t.text }), h("p", { className: "note", text: said })]);
    }));
  }

  function renderTopics(s, me, step) {
    var show = step === "raise" || step === "discuss";
    if (!show) return section("topics", false);
    var order = steady("topics", s.topics || [], function (a, b) { return b.supports - a.supports || a.id - b.id; });
    section("topics", true, [order.items.length > 1 ? h("li", { key: "sort", className: "sort" }, [order.sorter]) : null].concat(order.items.length
      ? order.items.map(function (t) { return topicCard(t, me); }) : [h("li", { key: "empty", className: "empty", text: T.no_topics })]));
  }

  function topicCard(t, me) {
    var mine = me.supports.indexOf(t.id) >= 0;
    return h("li", { key: t.id, className: "card", "data-topic": t.id }, [
      h("p", { className: "text", text: t.text }),
      h("div", { className: "row" }, [
        h("span", { className: "count", text: C.count(T.n.supporters, t.supports) }),
        h("button", { type: "button", className: mine ? "on" : "", "aria-pressed": mine ? "true" : "false",
          text: mine ? "✓ " + T.supported : T.support,
          onclick: function () { act("topic.support", { topic_id: t.id, on: !mine }); } })
      ])
    ]);
  }

  function renderProposals(s, step) {
    section("proposals", step === "discuss" && (s.proposals || []).length > 0 && FORMAT.proposals_on_phone,
      (s.proposals || []).map(function (p) {
        return h("li", { key: p.id, className: "card" }, [h("p", { className: "text strong", text: p.title }),
          p.text ? h("p", { className: "text", text: p.text }) : null]);
      }));
  }

  function proposalOf(s, id) {
    var found = null;
    (s.proposals || []).forEach(function (p) { if (p.id === id) found = p; });
    return found || { title: "", text: "" };
  }

  /* The open poll first, brought into view once; then the newest. */
  function renderPolls(s, me, step) {
    if (step !== "decide") return section("polls", false);
    var polls = (s.polls || []).slice().sort(function (a, b) {
      return (b.status === "open") - (a.status === "open") || b.id - a.id;
    });
    section("polls", true, polls.length ? polls.map(function (poll) {
      return poll.status === "open" ? openPoll(s, me, poll) : closedPoll(s, me, poll);
    }) : [h("li", { key: "empty", className: "empty", text: T.no_polls })]);
    polls.forEach(function (poll) { if (poll.status === "open") intoView("p" + poll.id, $("polls").querySelector('[data-poll="' + poll.id + '"]')); });
  }

  /* Under the title the buttons, then what became of the vote (a line always there: nothing
     moves them), then the rule and the text. */
  function openPoll(s, me, poll) {
    var id = String(poll.id), p = proposalOf(s, poll.proposal_id), intent = ui.intents[id];
    var refusal = cannotVote(poll, me), mine = intent ? intent.choice : me.ballots[id];
    var setBy = !intent && me.set_by && me.set_by[id];
    return h("li", { key: poll.id, className: "card", "data-poll": poll.id }, [
      h("p", { className: "text strong", text: p.title }),
      refusal ? h("p", { className: "note refusal", text: refusal }) : null,
      h("div", { className: "choices" }, T.order.choices.map(function (c) {
        return h("button", { key: c, type: "button", className: "choice " + c + (mine === c ? " on" : "") + (intent && mine === c ? " queued" : ""),
          "aria-pressed": mine === c ? "true" : "false", disabled: !!refusal,
          onclick: function () { vote(poll, c); } }, ticked(mine === c, T.choices[c]));
      })),
      h("p", { className: "status count", "aria-live": "polite", text: intent
        ? (conn && conn.socket.connected ? T.sending : T.choices[intent.choice] + " · " + T.vote_queued)
        : C.count(T.n.votes, poll.tally.cast) + (mine ? " · " + T.your_vote + ": " + T.choices[mine] : "") }),
      setBy ? h("p", { className: "note set-by", text: C.fmt((poll.secret ? T.set_by_secret : T.set_by)[setBy.by],
        { at: setBy.at, choice: T.choices[me.ballots[id]] || "" }) }) : null,
      h("p", { className: "rule", text: T.rules[poll.rule] + " · " + T.units[poll.unit] }),
      poll.unit === "household" && me.household ? h("p", { className: "note", text: T.for_household + " " + me.household }) : null,
      poll.secret ? h("p", { className: "note", text: T.secret_note }) : null,
      p.text ? h("p", { className: "text", text: p.text }) : null
    ]);
  }

  /* The tick takes no room (CSS): choosing never reflows the buttons. */
  function ticked(on, words) { return [on ? h("span", { key: "tick", className: "tick", text: "✓ " }) : null, words]; }

  /* Why this phone cannot vote, said before a tap (the server refuses alike). */
  function cannotVote(poll, me) {
    if (poll.unit !== "household") return "";
    if (!me.household) return T.cannot_vote.no_household;
    return poll.owners_only && me.owner === false ? T.cannot_vote.not_owner : "";
  }

  /* A closed poll: the result word first, large; the certificate on request. */
  function closedPoll(s, me, poll) {
    var cert = poll.certificate, id = String(poll.id), mine = me.ballots[id];
    if (!cert) return h("li", { key: poll.id, className: "card", "data-poll": poll.id }, [h("p", { className: "text strong", text: proposalOf(s, poll.proposal_id).title })]);
    var tookPart = (me.took_part || []).indexOf(poll.id) >= 0 || mine, t = cert.total, parts = C.certificateParts(cert);
    return h("li", { key: poll.id, className: "card decision", "data-poll": poll.id }, [
      h("p", { className: "result big " + (cert.passed ? "adopted" : "rejected"), text: cert.passed ? T.adopted : T.rejected }),
      h("p", { className: "text strong", text: proposalOf(s, poll.proposal_id).title }),
      ui.late[id] ? h("p", { className: "note late", text: T.vote_too_late }) : null,
      // a closed secret poll shows no choice, even here
      tookPart ? h("p", { className: "yours", text: mine && !poll.secret ? T.your_vote + ": " + T.choices[mine] : T.took_part }) : null,
      h("p", { className: "count" }, labelled(T.order.choices.map(function (c) { return T.choices[c] + " " + t[c]; }))),
      h("details", {}, [h("summary", { text: T.details }),
        h("div", { className: "certificate" }, [parts.rule, parts.electorate, parts.counts].concat(parts.channels, parts.why))])
    ]);
  }

  /* After the end: each vote's result first. */
  function renderDecisions(s, me, step) {
    var decided = (s.polls || []).filter(function (poll) { return poll.decision && poll.certificate; });
    section("decisions", step === "closed", decided.length ? decided.map(function (poll) { return closedPoll(s, me, poll); })
      : [h("li", { key: "empty", className: "empty", text: T.none })]);
  }

  /* "赞成 1 · 反对 0": a word never parts from its number when the line wraps. */
  function labelled(items) {
    var out = [];
    items.forEach(function (item, i) { if (i) out.push(" · "); out.push(h("span", { className: "nobr", text: item })); });
    return out;
  }
  function ratingsLine(r) {
    return [T.ratings_given + ": "].concat(labelled(T.order.ratings.map(function (v) { return T.ratings[v] + " " + r[v]; })));
  }

  /* While rating, the actions open for it come first, brought into view once. */
  function renderActions(s, me, step) {
    var show = step === "do" || step === "evaluate" || step === "closed", rating = step === "evaluate";
    var actions = (s.actions || []).slice().sort(function (a, b) { return rating && (b.rating_open - a.rating_open) || a.id - b.id; });
    section("actions", show, actions.length ? actions.map(function (a) { return actionCard(a, me, step); })
      : [h("li", { key: "empty", className: "empty", text: step === "closed" ? T.none : T.no_actions })]);
    if (show && rating) actions.forEach(function (a) { if (a.rating_open) intoView("a" + a.id, $("actions").querySelector('[data-action="' + a.id + '"]')); });
  }

  function actionCard(a, me, step) {
    var mine = me.ratings[String(a.id)], open = step === "evaluate" && a.rating_open;
    return h("li", { key: a.id, className: "card", "data-action": a.id }, [
      a.carried ? h("p", { className: "rule", text: a.issue ? T.escalated : T.carried + " · " + a.origin }) : null,
      h("p", { className: "text strong", text: a.what }),
      // an escalation's reply is what the room rates: read before the buttons
      a.issue && a.note ? h("p", { className: "text reply" }, [h("strong", { text: T.reply + ": " }), a.note]) : null,
      open ? h("div", { className: "choices" }, T.order.ratings.map(function (v) {
        return h("button", { key: v, type: "button", className: "choice" + (mine === v ? " on" : ""),
          "aria-pressed": mine === v ? "true" : "false",
          onclick: function () { act("rating.give", { action_id: a.id, value: v }, { retry: true }); } }, ticked(mine === v, T.ratings[v]));
      })) : null,
      // at large text neither a name nor a date breaks inside
      h("p", { className: "text" }, [T.owner + ": ", h("span", { className: "keep", text: a.owner })]),
      h("p", { className: "text" }, [T.deadline + ": ", h("span", { className: "nobr", text: a.deadline }), " · " + T.statuses[a.status]]),
      a.note && !a.issue ? h("p", { className: "rule", text: a.note }) : null,
      // the room's ratings once it is over; while rating, no one is swayed by the others' counts
      step === "closed" && a.ratings.total ? h("p", { className: "count ratings" }, ratingsLine(a.ratings)) : null
    ]);
  }

  /* What just opened, into view once (never on later updates): its buttons, its title if it fits. */
  function intoView(key, card) {
    if (ui.shown[key] || !card) return;
    ui.shown[key] = true;
    var buttons = card.querySelector(".choices") || card, r = buttons.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= window.innerHeight) return;
    card.scrollIntoView({ block: "start" });
    r = buttons.getBoundingClientRect();
    if (r.bottom > window.innerHeight) buttons.scrollIntoView({ block: "end" });
  }

  /* A page without a connection (a latecomer's) asks now and then whether the facilitator
     stepped back from the end, a slip of the finger; then the join form is back. */
  function watchReopening() {
    setInterval(function () {
      if ((conn && conn.socket.connected) || document.hidden) return;
      fetch("/api/join/" + encodeURIComponent(boot.code), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (reply) { if (reply.ok && reply.session.step !== "closed") window.location.reload(); })
        .catch(function () { /* offline: ask again later */ });
    }, 30000);
  }

  var token = storedToken() || cookieToken();
  if (boot.closed) { showLive(); render(boot.closed); watchReopening(); }  // a participant then connects for changes
  if (token) start(token);
  else if (!boot.closed) { welcomeBack(); showJoin(); }

  /* A phone that joined on the remote-vote page only (to vote from home) is not at the meeting:
     on the room's page one tap joins it, the same participant, and it counts as present. */
  function arrive(me) {
    conn.socket.disconnect();
    form.elements.name.value = me.name; form.elements.door.value = me.door || "";
    $("welcome").textContent = C.fmt(T.welcome_back, { name: me.name });
    $("welcome-box").hidden = false; $("join-intro").hidden = true;
    showJoin();
  }

  /* A resident of this community met before (another session's code): the form knows them. */
  function welcomeBack() {
    var who = stored(WHO);
    if (!storedToken(HOME) || !who || !who.name) return;
    form.elements.name.value = who.name; form.elements.door.value = who.door || "";
    $("welcome").textContent = C.fmt(T.welcome_back, { name: who.name });
    $("welcome-box").hidden = false; $("join-intro").hidden = true;
  }
})();
