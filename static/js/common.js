/* Shared client: state store, safe DOM building, acknowledged sends. Participant text is
   only ever set with textContent, never as HTML. */
(function (global) {
  "use strict";
  function readJSON(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : {}; }
  var T = readJSON("i18n");

  /* Pages render with Preact's keyed diff (static/vendor): an update patches what changed and
     leaves focus, caret, scroll and the element under a finger where they are. `h` keeps the
     shape the pages were written in: { text } for a text child, { key } to follow an item
     across re-orderings. Participant text only ever becomes a text node, never HTML. */
  var P = global.preact;
  function h(tag, attrs, children) {
    var props = {}, k, kids = children;
    attrs = attrs || {};
    for (k in attrs) {
      if (!attrs.hasOwnProperty(k) || attrs[k] === null || attrs[k] === undefined) continue;
      if (k === "text") kids = [String(attrs[k])];
      else props[k] = attrs[k];
    }
    return P.h(tag, props, kids || []);
  }
  var html = global.htm ? global.htm.bind(P.h) : null;  // the phone's page loads no htm

  /* What a textarea holds, one trimmed line each, blank lines dropped. */
  function lines(text) { return text.split("\n").map(function (x) { return x.trim(); }).filter(Boolean); }

  /* Render a list of children into a container the page owns; keyed children keep their nodes. */
  function fill(container, children) { P.render(children, container); }

  function randomId() {
    var a = new Uint8Array(16), s = "", i;
    (global.crypto || global.msCrypto).getRandomValues(a);
    for (i = 0; i < a.length; i++) s += ("0" + a[i].toString(16)).slice(-2);
    return s;
  }

  /* Connect, keep the whole state, apply patches, call render after each change. */
  function live(auth, render, onRefused) {
    var state = {}, offset = null;
    var socket = global.io({ auth: auth, reconnectionDelayMax: 3000 });
    function changed() {
      if (state.session) offset = clockOffset(offset, Date.parse(state.session.server_now) - Date.now());
      render(state);
    }
    function apply(p) {
      if (p.part === "tally") {
        (state.polls || []).forEach(function (poll) {
          var v = p.data[String(poll.id)];
          if (poll.status === "open" && v) Object.assign(poll, v);  // counts and all that follows from them
        });
      } else state[p.part] = p.data;
    }
    socket.on("state", function (s) { state = s; changed(); });
    socket.on("patch", function (p) { apply(p); if (p.part !== "session") render(state); else changed(); });
    socket.on("patches", function (ps) { ps.forEach(apply); changed(); });
    socket.on("me", function (me) { state.me = me; render(state); });
    socket.on("connect", function () { setConn(true); });
    socket.on("disconnect", function () { setConn(false); });
    socket.on("connect_error", function (err) {
      setConn(false);
      if (err && err.data && onRefused) onRefused(err.data);
    });
    return {
      socket: socket,
      state: function () { return state; },
      now: function () { return Date.now() + (offset || 0); },
      setMe: function (me) { if (me) { state.me = me; render(state); } },
      send: function (event, payload, opts) { return send(socket, event, payload, opts || {}); }
    };
  }

  /* Emit with an acknowledgement; with retry, resend the same payload until the server answers. */
  function send(socket, event, payload, opts) {
    return new Promise(function (resolve) {
      var tries = 0, done = false;
      function attempt() {
        tries++;
        socket.timeout(opts.timeout || 6000).emit(event, payload, function (err, reply) {
          if (done) return;
          if (err) {
            if (opts.retry && tries < 20) { if (opts.onRetry) opts.onRetry(tries); setTimeout(attempt, Math.min(500 * tries, 3000)); return; }
            done = true; resolve({ ok: false, error: { code: "timeout", message: T.error } }); return;
          }
          if (opts.retry && reply && !reply.ok && reply.error && reply.error.code === "busy" && tries < 20) {
            setTimeout(attempt, 300 * tries); return;
          }
          done = true; resolve(reply || { ok: false, error: { code: "empty", message: T.error } });
        });
      }
      attempt();
    });
  }

  /* How far the server's clock is ahead of this one. A server time can only arrive late (a
     coalesced batch, a cached state), never early, so a sample below the best one is a stale
     time, not a new offset: keeping the largest stops every change from setting the countdown
     back. A sample far off the best one means this device's clock was changed: start again. */
  function clockOffset(best, sample) {
    if (isNaN(sample)) return best;
    if (best === null || sample > best || best - sample > 30000) return sample;
    return best;
  }

  function setConn(ok) {
    var el = document.getElementById("conn");
    if (!el) return;
    el.textContent = ok ? T.online : T.offline;
    el.className = "conn " + (ok ? "ok" : "bad");
  }

  function clock(el, session, now) {
    if (!el) return;
    if (!session || !session.timer_ends_at) { el.hidden = true; return; }
    var left = Math.max(0, Math.round((Date.parse(session.timer_ends_at) - now()) / 1000));
    el.hidden = false;
    el.textContent = left > 0 ? pad(Math.floor(left / 60)) + ":" + pad(left % 60) : T.time_up;
    el.className = el.className.replace(/ ?urgent/g, "") + (left <= 30 ? " urgent" : "");
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function flash(message, kind) {
    var el = document.getElementById("flash");
    if (!el) return;
    el.textContent = message; el.hidden = !message;
    el.className = (el.id === "flash" ? "flash " : "") + (kind || "error");
    clearTimeout(flash._t);
    if (message) flash._t = setTimeout(function () { el.hidden = true; }, 6000);
  }

  function csrf() { var m = document.querySelector('meta[name="csrf-token"]'); return m ? m.content : ""; }

  function formData(form) {
    var out = {}, i, el;
    for (i = 0; i < form.elements.length; i++) {
      el = form.elements[i];
      if (el.name) out[el.name] = el.value;
    }
    return out;
  }

  function fmt(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  /* A count in words: the form of its plural category ("1 supporter", "2 supporters"; "2 人支持").
     The server sends the catalog's form for each category Intl.PluralRules names. */
  var plurals = global.Intl && global.Intl.PluralRules ? new global.Intl.PluralRules(document.documentElement.lang) : null;
  function count(forms, n) {
    var tag = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    return fmt(forms[tag] || forms.other, { n: n });
  }

  /* The words of a count without its number, for a page that shows the number apart (big). */
  function countWord(forms, n) { return count(forms, n).replace(String(n), "").trim(); }

  /* A closed poll's result in its parts: rule, who could and did vote, counts per channel, the
     result word, the conditions that failed in words. Pages lay the parts out as they need. */
  function certificateParts(cert) {
    var t = cert.total;
    var failed = (cert.conditions || []).filter(function (c) { return !c.met; });
    return {
      rule: h("p", { className: "rule", text: T.rules[cert.rule] + " · " + T.units[cert.unit] +
        " · " + (cert.secret ? T.secret_ballot : T.open_ballot) + (cert.quorum ? " · " + T.quorum + " " + cert.quorum : "") }),
      electorate: h("p", { className: "electorate", text: T.eligible + " " + cert.eligible +
        (cert.unit === "household" && cert.eligible_area !== "0" ? " (" + cert.eligible_area + " m²)" : "") +
        " · " + T.present + " " + cert.present + " · " + T.participation + " " + t.cast +
        (t.cast_area !== "0" ? " (" + t.cast_area + " m²)" : "") }),
      counts: h("p", { className: "counts", text: T.order.choices.map(function (c) {
        return T.choices[c] + " " + t[c] + (t[c + "_area"] !== "0" ? " (" + t[c + "_area"] + " m²)" : "");
      }).join(" · ") }),
      channels: Object.keys(cert.channels || {}).map(function (ch) {
        var c = cert.channels[ch];
        return h("p", { className: "channel", key: ch, text: T.channels[ch] + ": " + T.choices.yes + " " + c.yes + " · " +
          T.choices.no + " " + c.no + " · " + T.choices.abstain + " " + c.abstain });
      }),
      result: h("p", { className: "result " + (cert.passed ? "adopted" : "rejected"), text: cert.passed ? T.adopted : T.rejected }),
      why: failed.length ? [h("p", { className: "why", text: T.failed_because }),
        h("ul", { className: "why" }, failed.map(function (c) { return h("li", { key: c.key, text: fmt(T.conditions[c.key], c) }); }))] : []
    };
  }

  function certificate(cert) {
    var p = certificateParts(cert);
    return h("div", { className: "certificate" }, [p.rule, p.electorate, p.counts].concat(p.channels, [p.result], p.why));
  }

  global.Council = { fmt: fmt, count: count, countWord: countWord, certificate: certificate, certificateParts: certificateParts, T: T, h: h, html: html, fill: fill, live: live, clock: clock, flash: flash, csrf: csrf, P: P,
                     randomId: randomId, formData: formData, readJSON: readJSON, lines: lines };
})(window);
