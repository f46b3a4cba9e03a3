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

  function showJoin() { $("join-form").hidden = false; $("live").hidden = true; }

  $("join-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var data = C.formData(ev.target), token = storedToken() || cookieToken() || C.randomId() + C.randomId().slice(0, 8);
    fetch("/api/join/" + encodeURIComponent(boot.code), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": C.csrf() },
      body: JSON.stringify({ name: data.name, door: data.door, token: token })
    }).then(function (r) { return r.json(); }).then(function (reply) {
      if (!reply.ok) { alert(reply.error.message); return; }
      storeToken(reply.device_token);
      start(reply.device_token);
    }).catch(function () { alert(T.error); });
  });

  function start(token) {
    $("join-form").hidden = true; $("live").hidden = false;
    conn = C.live({ role: "phone", code: boot.code, token: token }, render, function (err) {
      if (err.code === "not_participant") { conn.socket.disconnect(); showJoin(); }
      else if (err.message) C.flash(err.message);
    });
    setInterval(function () { var s = conn.state(); C.clock($("timer"), s.session, conn.now); }, 500);
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
    $("me").textContent = me.name ? me.name + (me.door ? " · " + me.door : "") : "";
    $("raise").hidden = step !== "raise";
    if (C.phoneFormats) C.phoneFormats(s, me, step, act);
    if (FORMAT.topics_on_phone) renderTopics(s, me, step); else $("topics-box").hidden = true;
    renderProposals(s, step);
    renderPolls(s, me, step);
    renderActions(s, me, step);
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
          h("span", { className: "count", text: t.supports + " " + T.supporters }),
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
        children.push(h("p", { className: "count", text: poll.tally.cast + " " + T.votes + (mine ? " · " + T.your_vote + ": " + T.choices[mine] : "") }));
      } else {
        var tookPart = (me.took_part || []).indexOf(poll.id) >= 0 || mine;
        if (poll.secret) delete me.ballots[String(poll.id)];  // a closed secret poll shows no choice, even here
        if (tookPart) children.push(h("p", { className: "count", text: mine && !poll.secret ? T.your_vote + ": " + T.choices[mine] : T.took_part }));
        children.push(C.certificate(poll.certificate));
      }
      return h("li", { className: "card" }, children);
    }) : [h("li", { className: "empty", text: T.no_polls })]);
  }

  function renderActions(s, me, step) {
    var show = step === "do" || step === "evaluate";
    $("actions-box").hidden = !show;
    if (!show) return;
    var actions = s.actions || [];
    C.fill($("actions"), actions.length ? actions.map(function (a) {
      var mine = me.ratings[String(a.id)], children = [
        a.carried ? h("p", { className: "rule", text: T.carried + " · " + a.origin }) : null,
        h("p", { className: "text strong", text: a.what }),
        h("p", { className: "text", text: T.owner + ": " + a.owner + " · " + T.deadline + ": " + a.deadline + " · " + T.statuses[a.status] }),
        a.note ? h("p", { className: "rule", text: a.note }) : null];
      if (step === "evaluate" && a.rating_open) {
        children.push(h("div", { className: "choices" }, T.order.ratings.map(function (v) {
          return h("button", { type: "button", className: "choice" + (mine === v ? " on" : ""),
            "aria-pressed": mine === v ? "true" : "false", text: (mine === v ? "✓ " : "") + T.ratings[v],
            onclick: function () { act("rating.give", { action_id: a.id, value: v }, { retry: true }); } });
        })));
      }
      return h("li", { className: "card" }, children);
    }) : [h("li", { className: "empty", text: T.no_actions })]);
  }

  var token = storedToken() || cookieToken();
  if (token) start(token); else showJoin();
})();
