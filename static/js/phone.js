/* The resident's phone: join once, then follow the facilitator's step live. */
(function () {
  "use strict";
  var C = window.Council, T = C.T, h = C.h, boot = C.readJSON("boot");
  var FORMAT = boot.format;  // what this session's format changes on the phone (flags from the server)
  var KEY = "council.token." + boot.code, conn = null, pending = {};
  var $ = function (id) { return document.getElementById(id); };

  function storedToken() {
    try { return window.localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function storeToken(t) {
    try { window.localStorage.setItem(KEY, t); } catch (e) { /* private mode: cookie below */ }
    document.cookie = "council_token_" + boot.code + "=" + t + "; max-age=31536000; path=/; samesite=lax";
  }
  function cookieToken() {
    var m = document.cookie.match(new RegExp("council_token_" + boot.code + "=([A-Za-z0-9_-]+)"));
    return m ? m[1] : null;
  }

  // A closed session's page comes without a join form (templates/phone/session.html).
  var form = $("join-form");
  function showJoin() { form.hidden = false; $("live").hidden = true; }
  function showLive() { if (form) form.hidden = true; $("live").hidden = false; }

  /* Said under the button, where nothing follows that could move: never a browser dialog. */
  function joinRefused(message) {
    var el = $("join-error");
    el.textContent = message || ""; el.hidden = !message;
  }

  if (form) form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = C.formData(form), token = storedToken() || cookieToken() || C.randomId() + C.randomId().slice(0, 8);
    var button = form.querySelector("button[type=submit]");
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
      storeToken(reply.device_token);
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
      if (me && reply.choice) me.ballots[String(reply.poll_id)] = reply.choice;
      if (me && reply.value) me.ratings[String(reply.action_id)] = reply.value;
      conn.setMe(me);
      return reply;
    });
  }

  $("topic-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var box = ev.target.elements.text;
    act("topic.raise", { text: box.value }).then(function (r) {
      if (r.ok) { box.value = ""; C.flash(T.thanks_topic, "ok"); }
    });
  });

  function vote(poll, choice) {
    // One client id per intended vote: resends of it count once, a later change is new.
    var p = { poll_id: poll.id, choice: choice, client_id: C.randomId() };
    pending[poll.id] = choice; render(conn.state());
    act("ballot.cast", p, { retry: true, onRetry: function () { C.flash(T.retrying, "warn"); } })
      .then(function (r) { delete pending[poll.id]; if (r.ok) C.flash(T.vote_saved, "ok"); render(conn.state()); });
  }

  function render(s) {
    if (!s.session) return;
    var step = s.session.step, me = s.me || { supports: [], ballots: {}, ratings: {} };
    $("title").textContent = s.session.title;
    $("step").textContent = T.steps[step];
    var hint = Object.prototype.hasOwnProperty.call(FORMAT.hints, step) ? FORMAT.hints[step] : null;
    $("hint").textContent = hint === null ? T.step_hint[step] : hint ? T.f[hint] : "";
    $("hint").hidden = step === "closed";  // 已结束 says it; what was decided comes first, the thanks last
    $("me").textContent = me.name ? me.name + (me.door ? " · " + me.door : "") : "";
    $("raise").hidden = step !== "raise";
    if (C.phoneFormats) C.phoneFormats(s, me, step, act);
    if (FORMAT.topics_on_phone) renderTopics(s, me, step); else $("topics-box").hidden = true;
    renderProposals(s, step);
    renderPolls(s, me, step);
    renderDecisions(s, step);
    renderActions(s, me, step);
    $("record-box").hidden = $("thanks").hidden = step !== "closed";
    if (step === "closed") $("timer").hidden = true;
  }

  function renderTopics(s, me, step) {
    var box = $("topics-box"), show = step === "raise" || step === "discuss";
    box.hidden = !show;
    if (!show) return;
    var topics = (s.topics || []).slice().sort(function (a, b) { return b.supports - a.supports || a.id - b.id; });
    C.fill($("topics"), topics.length ? topics.map(function (t) {
      var mine = me.supports.indexOf(t.id) >= 0;
      return h("li", { className: "card" }, [
        h("p", { className: "text", text: t.text }),
        h("div", { className: "row" }, [
          h("span", { className: "count", text: C.count(T.n.supporters, t.supports) }),
          h("button", { type: "button", className: mine ? "on" : "", "aria-pressed": mine ? "true" : "false",
            text: mine ? "✓ " + T.supported : T.support,
            onclick: function () { act("topic.support", { topic_id: t.id, on: !mine }); } })
        ])
      ]);
    }) : [h("li", { className: "empty", text: T.no_topics })]);
  }

  function renderProposals(s, step) {
    var show = step === "discuss" && (s.proposals || []).length > 0 && FORMAT.proposals_on_phone;
    $("proposals-box").hidden = !show;
    if (!show) return;
    C.fill($("proposals"), s.proposals.map(function (p) {
      return h("li", { className: "card" }, [h("p", { className: "text strong", text: p.title }),
        p.text ? h("p", { className: "text", text: p.text }) : null]);
    }));
  }

  function proposalOf(s, id) {
    var found = null;
    (s.proposals || []).forEach(function (p) { if (p.id === id) found = p; });
    return found || { title: "", text: "" };
  }

  function renderPolls(s, me, step) {
    var show = step === "decide";
    $("polls-box").hidden = !show;
    if (!show) return;
    var polls = (s.polls || []).slice().reverse();
    C.fill($("polls"), polls.length ? polls.map(function (poll) {
      var p = proposalOf(s, poll.proposal_id), mine = pending[poll.id] || me.ballots[String(poll.id)];
      var children = [h("p", { className: "text strong", text: p.title }), p.text ? h("p", { className: "text", text: p.text }) : null,
        h("p", { className: "rule", text: T.rules[poll.rule] + " · " + T.units[poll.unit] }),
        poll.unit === "household" && me.household ? h("p", { className: "note", text: T.for_household + " " + me.household }) : null,
        poll.secret && poll.status === "open" ? h("p", { className: "note", text: T.secret_note }) : null];
      if (poll.status === "open") {
        children.push(h("div", { className: "choices" }, T.order.choices.map(function (c) {
          return h("button", { type: "button", className: "choice " + c + (mine === c ? " on" : ""),
            "aria-pressed": mine === c ? "true" : "false", disabled: !!pending[poll.id],
            text: (mine === c ? "✓ " : "") + T.choices[c], onclick: function () { vote(poll, c); } });
        })));
        children.push(h("p", { className: "count", text: C.count(T.n.votes, poll.tally.cast) + (mine ? " · " + T.your_vote + ": " + T.choices[mine] : "") }));
      } else {
        var tookPart = (me.took_part || []).indexOf(poll.id) >= 0 || mine;
        if (poll.secret) delete me.ballots[String(poll.id)];  // a closed secret poll shows no choice, even here
        if (tookPart) children.push(h("p", { className: "count", text: mine && !poll.secret ? T.your_vote + ": " + T.choices[mine] : T.took_part }));
        children.push(C.certificate(poll.certificate));
      }
      return h("li", { className: "card" }, children);
    }) : [h("li", { className: "empty", text: T.no_polls })]);
  }

  /* After the end: each vote's result word first, large, then what was voted on and the counts;
     the certificate on request. */
  function renderDecisions(s, step) {
    var show = step === "closed";
    $("decisions-box").hidden = !show;
    if (!show) return;
    var decided = (s.polls || []).filter(function (poll) { return poll.decision && poll.certificate; });
    C.fill($("decisions"), decided.length ? decided.map(function (poll) {
      var cert = poll.certificate, t = cert.total;
      return h("li", { className: "card decision", "data-poll": poll.id }, [
        h("p", { className: "result big " + (cert.passed ? "adopted" : "rejected"), text: cert.passed ? T.adopted : T.rejected }),
        h("p", { className: "text strong", text: proposalOf(s, poll.proposal_id).title }),
        h("p", { className: "count" }, labelled(T.order.choices.map(function (c) { return T.choices[c] + " " + t[c]; }))),
        h("details", {}, [h("summary", { text: T.details }), C.certificate(cert)])
      ]);
    }) : [h("li", { className: "empty", text: T.none })]);
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

  function renderActions(s, me, step) {
    var show = step === "do" || step === "evaluate" || step === "closed";
    $("actions-box").hidden = !show;
    if (!show) return;
    var actions = s.actions || [];
    C.fill($("actions"), actions.length ? actions.map(function (a) {
      var mine = me.ratings[String(a.id)], children = [
        a.carried ? h("p", { className: "rule", text: T.carried + " · " + a.origin }) : null,
        h("p", { className: "text strong", text: a.what }),
        // who, then by when on a line of its own: at large text a date never breaks inside
        h("p", { className: "text", text: T.owner + ": " + a.owner }),
        h("p", { className: "text" }, [T.deadline + ": ", h("span", { className: "nobr", text: a.deadline }), " · " + T.statuses[a.status]]),
        a.note ? h("p", { className: "rule", text: a.note }) : null,
        // the room's ratings once it is over; while rating, no one is swayed by the others' counts
        step === "closed" && a.ratings.total ? h("p", { className: "count ratings" }, ratingsLine(a.ratings)) : null];
      if (step === "evaluate" && a.rating_open) {
        children.push(h("div", { className: "choices" }, T.order.ratings.map(function (v) {
          return h("button", { type: "button", className: "choice" + (mine === v ? " on" : ""),
            "aria-pressed": mine === v ? "true" : "false", text: (mine === v ? "✓ " : "") + T.ratings[v],
            onclick: function () { act("rating.give", { action_id: a.id, value: v }, { retry: true }); } });
        })));
      }
      return h("li", { className: "card" }, children);
    }) : [h("li", { className: "empty", text: step === "closed" ? T.none : T.no_actions })]);
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
  if (token) start(token); else if (!boot.closed) showJoin();
})();
