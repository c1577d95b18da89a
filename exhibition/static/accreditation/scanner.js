// The gate scanner (and exhibitors' lead scanner). Reads QR codes with the camera (jsQR) or
// typed in; online, the server decides (POST .../checkin/redeem/); when the network drops, the
// page decides itself from what it synced (the event's public keys, the revocation list, the
// zone rules), verifying the Ed25519 signature locally (WebCrypto, or TweetNaCl where the
// browser lacks Ed25519), and queues the scans to upload with their original time.
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var T = JSON.parse(document.getElementById("scanner-i18n").textContent);
  var mode = root.dataset.mode;
  var redeemUrl = root.dataset.api;
  var base = redeemUrl.replace(/checkin\/redeem\/$/, "");
  var storeKey = "exh-scanner:" + root.dataset.event;
  var $ = function (id) { return document.getElementById(id); };

  // --- storage (this device only) ---------------------------------------------------------------
  var state = load();
  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* full: keep in memory */ }
  }
  function wipe(message) {
    state = {};
    try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
    keyCache = {};
    showRegister(message);
  }

  // --- base32 and the code layout (see exhibition/accreditation/codes.py) ------------------------
  var ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function b32decode(text) {
    var clean = text.replace(/\s+/g, "").toUpperCase().replace(/=+$/, "");
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < clean.length; i++) {
      var idx = ALPHA.indexOf(clean[i]);
      if (idx < 0) return null;
      value = (value << 5) | idx; bits += 5;
      if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
    }
    // One badge, one code: the last character's spare bits must be zero (as codes.parse checks).
    if (bits >= 5 || (value & ((1 << bits) - 1)) !== 0) return null;
    return new Uint8Array(out);
  }
  var EPOCH = Date.UTC(2000, 0, 1);
  function parse(code) {
    var raw = b32decode(code || "");
    if (!raw || raw.length !== 76 || raw[0] !== 1) return null;
    var dv = new DataView(raw.buffer);
    var start = dv.getUint16(8), mask = dv.getUint16(10), days = mask ? [] : null;
    for (var i = 0; mask && i < 16; i++) {
      if ((mask >> i) & 1) days.push(new Date(EPOCH + (start + i) * 86400000).toISOString().slice(0, 10));
    }
    return { kid: dv.getUint16(1), badge: dv.getUint32(3), category: dv.getUint8(7), days: days,
             body: raw.slice(0, 12), sig: raw.slice(12) };
  }
  function b64bytes(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  // --- Ed25519 verification -----------------------------------------------------------------------
  var keyCache = {};
  var subtleEd = null; // null: unknown yet, true / false once probed
  function verify(p) {
    var key = (state.rules && state.rules.keys || []).filter(function (k) { return k.kid === p.kid; })[0];
    if (!key) return Promise.resolve(false);
    var raw = b64bytes(key.public_key);
    if (subtleEd !== false && window.crypto && crypto.subtle) {
      var cached = keyCache[p.kid];
      var imported = cached || crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
      keyCache[p.kid] = imported;
      return Promise.resolve(imported).then(function (k) {
        subtleEd = true;
        return crypto.subtle.verify({ name: "Ed25519" }, k, p.sig, p.body);
      }).catch(function () {
        subtleEd = false; delete keyCache[p.kid];
        return naclVerify(p, raw);
      });
    }
    return Promise.resolve(naclVerify(p, raw));
  }
  function naclVerify(p, raw) {
    return !!(window.nacl && nacl.sign.detached.verify(p.body, p.sig, raw));
  }

  // --- the rules, as ruleset.decide() on the server -----------------------------------------------
  function localParts(date, tz) {
    var parts = {};
    new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(date).forEach(function (x) { parts[x.type] = x.value; });
    return { day: parts.year + "-" + parts.month + "-" + parts.day, time: parts.hour + ":" + parts.minute };
  }
  function within(t, a, b) { return !!(a && b) && a <= t && t < b; }
  function decide(rules, category, zone, when, codeDays, direction) {
    if (direction === "exit") return null;
    var cat = rules.categories.filter(function (c) { return c.number === category; })[0];
    if (!cat) return "invalid";
    if (cat.zones.indexOf(zone) < 0) return "wrong_zone";
    var local = localParts(when, rules.time_zone);
    if ((codeDays && codeDays.indexOf(local.day) < 0) || cat.days.indexOf(local.day) < 0) return "wrong_day";
    var info = rules.days.filter(function (d) { return d.date === local.day; })[0];
    if (!info) return "wrong_day";
    var windows = rules.rules.filter(function (r) {
      return r.category === category && r.zone === zone && (r.date === null || r.date === local.day);
    });
    if (windows.length) return windows.some(function (r) { return within(local.time, r.from, r.until); }) ? null : "outside_hours";
    if (cat.hours === "always") return null;
    if (cat.hours === "site") return within(local.time, info.site[0], info.site[1]) ? null : "outside_hours";
    return info.show && within(local.time, info.show[0], info.show[1]) ? null : "outside_hours";
  }

  // Decide one code on this device (no network). Exposed for the browser test's timing.
  function checkOffline(code, direction, zone, when) {
    var rules = state.rules;
    var p = parse(code);
    if (!p || !rules) return Promise.resolve({ reason: "invalid", parsed: p });
    return verify(p).then(function (ok) {
      if (!ok) return { reason: "invalid", parsed: p };
      if ((state.revoked || []).indexOf(p.badge) >= 0) return { reason: "revoked", parsed: p };
      var reason = decide(rules, p.category, zone, when || new Date(), p.days, direction);
      if (!reason) {
        var z = rules.zones.filter(function (x) { return x.id === zone; })[0];
        var pres = (state.presence || {})[p.badge + ":" + zone];
        var day = localParts(when || new Date(), rules.time_zone).day;
        if (direction === "entry" && z && z.presence && pres && pres.inside && pres.day === day) reason = "already_inside";
        var cat = rules.categories.filter(function (c) { return c.number === p.category; })[0];
        if (!reason && direction === "entry" && z && z.presence && cat && !cat.reentry && pres && pres.exitDay === day) reason = "no_reentry";
      }
      return { reason: reason, parsed: p };
    });
  }
  function rememberPresence(p, zone, direction, when) {
    var day = localParts(when, state.rules.time_zone).day;
    state.presence = state.presence || {};
    var k = p.badge + ":" + zone, cur = state.presence[k] || {};
    if (direction === "entry") { cur.inside = true; cur.day = day; } else { cur.inside = false; cur.exitDay = day; }
    state.presence[k] = cur;
  }

  // --- network ----------------------------------------------------------------------------------
  function api(path, options) {
    options = options || {};
    var headers = { "Accept": "application/json", "Content-Type": "application/json" };
    if (mode === "gate" && state.token) headers.Authorization = "Device " + state.token;
    if (mode === "leads") headers["X-CSRFToken"] = root.dataset.csrf;
    return fetch(base + path, { method: options.method || "GET", headers: headers, credentials: "same-origin",
                                body: options.body ? JSON.stringify(options.body) : undefined })
      .then(function (r) {
        if (r.status === 401 && mode === "gate") { wipe(T.revoked_device); throw new Error("revoked"); }
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      });
  }
  function isOnline() { return navigator.onLine !== false; }
  function setNet() {
    var net = $("net");
    if (!net) return;
    net.textContent = isOnline() ? T.online : T.offline;
    net.className = "net " + (isOnline() ? "on" : "off");
    var q = (state.queue || []).length;
    $("queue").textContent = q === 1 ? T.queued_one : q ? T.queued.replace("%(n)s", q) : "";
    $("synced").textContent = state.syncedAt ? T.synced.replace("%(t)s", new Date(state.syncedAt).toLocaleTimeString()) : "";
  }

  function sync() {
    if (mode !== "gate" || !state.token || !isOnline()) return Promise.resolve();
    return api("checkin/sync/").then(function (r) {
      if (r.status !== 200) return;
      var d = r.data;
      state.rules = { time_zone: d.time_zone, keys: d.keys, days: d.days, categories: d.categories, zones: d.zones,
                      rules: d.rules, gates: d.gates, rules_version: d.rules_version };
      state.revoked = d.revoked;
      state.device = d.device;
      state.syncedAt = Date.now();
      keyCache = {};
      save(); fillGates(); setNet();
    }).catch(function () { setNet(); });
  }

  var uploading = false;
  function upload() {
    if (uploading || !isOnline() || !(state.queue || []).length) return Promise.resolve();
    uploading = true;
    var next = function () {
      if (!(state.queue || []).length || !isOnline()) { uploading = false; setNet(); return Promise.resolve(); }
      return api("checkin/redeem/", { method: "POST", body: state.queue[0] }).then(function (r) {
        if (r.status < 500) { state.queue.shift(); save(); setNet(); return next(); }
        uploading = false;
      }).catch(function () { uploading = false; setNet(); });
    };
    return next();
  }

  // --- showing an answer --------------------------------------------------------------------------
  function categoryOf(number) {
    return ((state.rules && state.rules.categories) || []).filter(function (c) { return c.number === number; })[0];
  }
  function show(ok, reason, badge, extra, offline) {
    var box = $("result");
    box.hidden = false;
    box.className = "result " + (ok ? "ok" : "bad");
    var direction = currentDirection();
    $("result-verdict").textContent = ok ? (reason ? T.forced : (direction === "exit" ? T.ok_exit : T.ok)) : T.refused;
    $("result-reason").textContent = (reason ? (T[reason] || reason) : "") + (offline ? " · " + T.checked_offline : "");
    var photo = $("result-photo");
    if (badge && badge.photo) { photo.src = badge.photo; photo.hidden = false; } else { photo.hidden = true; photo.removeAttribute("src"); }
    $("result-name").textContent = badge && badge.name ? badge.name : (badge && badge.number ? T.badge_no.replace("%(n)s", badge.number) : "");
    $("result-org").textContent = badge ? [badge.organisation, badge.country_name].filter(Boolean).join(" · ") : "";
    var cat = $("result-cat");
    cat.textContent = badge && badge.category ? badge.category.name : "";
    cat.style.backgroundColor = badge && badge.category ? badge.category.colour : "transparent";
    $("result-extra").textContent = extra || "";
  }
  function meetingText(m) {
    if (!m) return "";
    if (m.state === "none") return T.meeting_none;
    var t = m.state === "held" ? T.meeting_held : T.meeting_waiting;
    return t.replace("%(who)s", m.with).replace("%(t)s", m.start);
  }

  // --- a scan -----------------------------------------------------------------------------------------
  function currentDirection() {
    var r = document.querySelector('input[name="direction"]:checked');
    return r ? r.value : "entry";
  }
  function currentGate() {
    var sel = $("gate");
    var id = sel && sel.value ? parseInt(sel.value, 10) : null;
    var g = ((state.rules && state.rules.gates) || []).filter(function (x) { return x.id === id; })[0];
    return g || null;
  }
  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function scanGate(code) {
    var gate = currentGate();
    if (!gate) { show(false, "", null, T.no_gate); return Promise.resolve(); }
    var direction = currentDirection();
    var when = new Date();
    var item = { code: code, nonce: nonce(), direction: direction, gate: gate.id, zone: gate.zone,
                 scanned_at: when.toISOString() };
    var offline = function () {
      return checkOffline(code, direction, gate.zone, when).then(function (res) {
        var ok = !res.reason;
        var cat = res.parsed ? categoryOf(res.parsed.category) : null;
        show(ok, res.reason, res.parsed ? { number: String(res.parsed.badge).padStart(7, "0"),
          category: cat ? { name: (document.documentElement.lang === "fr" ? cat.name_fr : cat.name_en), colour: cat.colour } : null } : null,
          "", true);
        if (ok && res.parsed) rememberPresence(res.parsed, gate.zone, direction, when);
        item.offline = true; item.force = ok;
        state.queue = state.queue || []; state.queue.push(item); save(); setNet();
      });
    };
    if (!isOnline()) return offline();
    return api("checkin/redeem/", { method: "POST", body: item }).then(function (r) {
      if (r.status >= 500) return offline();
      if (r.status !== 200) { show(false, "", null, r.data.detail || Object.values(r.data)[0] || T.error); return; }
      var d = r.data;
      show(d.status === "ok", d.reason, d.badge, meetingText(d.meeting), false);
      if (d.status === "ok" && !d.reason) {
        var p = parse(code);
        if (p && state.rules) { rememberPresence(p, gate.zone, direction, when); save(); }
      }
    }).catch(function (e) {
      if (e && e.message === "revoked") return;
      return offline();
    });
  }

  function scanLead(code) {
    if (!isOnline()) { show(false, "", null, T.lead_offline); return Promise.resolve(); }
    return api("leads/", { method: "POST", body: { code: code, company: parseInt(root.dataset.company, 10) } }).then(function (r) {
      var form = $("lead-form");
      if (r.status === 200 || r.status === 201) {
        var l = r.data;
        show(true, "", { name: l.name, organisation: [l.job_title, l.organisation_name].filter(Boolean).join(", "),
                         country_name: l.country }, r.status === 201 ? T.lead_ok : T.lead_again);
        $("result-verdict").textContent = r.status === 201 ? T.lead_ok : T.lead_again;
        form.hidden = false; $("lead-id").value = l.id; $("lead-note").value = l.note || "";
        $("lead-rating").value = l.rating || ""; $("lead-saved").textContent = "";
        $("lead-note").focus();
      } else {
        form.hidden = true;
        var d = r.data || {};
        show(false, "", null, d.detail || (d.code && d.code[0]) || Object.values(d)[0] || T.error);
      }
    }).catch(function () { show(false, "", null, T.lead_offline); });
  }

  var chain = Promise.resolve(), lastCode = "", lastAt = 0;
  function handle(code) {
    code = (code || "").replace(/\s+/g, "").toUpperCase();
    if (!code) return chain;
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return chain; // the same badge still in front of the camera
    lastCode = code; lastAt = now;
    // One scan at a time, none dropped: a reader may send the next code before the answer came.
    chain = chain.then(function () { return mode === "leads" ? scanLead(code) : scanGate(code); })
                 .catch(function () { show(false, "", null, T.error); });
    return chain;
  }

  // --- camera -----------------------------------------------------------------------------------------
  var stream = null, ticking = false;
  function startCamera() {
    var video = $("video"), err = $("camera-error");
    err.textContent = "";
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { err.textContent = T.camera_error; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s; video.srcObject = s; video.hidden = false;
      video.play();
      $("camera-toggle").textContent = T.camera_stop;
      ticking = true; setTimeout(tick, 150);
    }).catch(function () { err.textContent = T.camera_error; });
  }
  function stopCamera() {
    ticking = false;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null; $("video").hidden = true; $("camera-toggle").textContent = T.camera_start;
  }
  function tick() {
    if (!ticking) return;
    var video = $("video"), canvas = $("frame");
    if (video.readyState >= 2 && window.jsQR) {
      var w = video.videoWidth, h = video.videoHeight, scale = Math.min(1, 640 / Math.max(w, h));
      canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d", { willReadFrequently: true });
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var found = jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
      if (found && found.data) handle(found.data);
    }
    setTimeout(tick, 120);
  }

  // --- set-up -----------------------------------------------------------------------------------------
  function fillGates() {
    var sel = $("gate");
    if (!sel || !state.rules) return;
    var chosen = state.gate || (state.device && state.device.gate) || "";
    sel.textContent = "";
    state.rules.gates.forEach(function (g) {
      var o = document.createElement("option");
      o.value = g.id; o.textContent = g.name;
      if (String(g.id) === String(chosen)) o.selected = true;
      sel.appendChild(o);
    });
    $("device-name").textContent = state.device ? state.device.name : "";
  }
  function showRegister(message) {
    var reg = $("register");
    if (!reg) return;
    reg.hidden = false; $("station").hidden = true;
    $("register-error").textContent = message || "";
    stopCamera();
  }
  function showStation() {
    if ($("register")) $("register").hidden = true;
    $("station").hidden = false;
    fillGates(); setNet();
  }

  if (mode === "gate") {
    $("register-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var code = $("register-code").value;
      fetch(base + "checkin/register/", { method: "POST", headers: { "Content-Type": "application/json", "Accept": "application/json" },
                                          body: JSON.stringify({ code: code }) })
        .then(function (r) { return r.json().then(function (d) { return { status: r.status, data: d }; }); })
        .then(function (r) {
          if (r.status !== 201) { $("register-error").textContent = (r.data.code && r.data.code[0]) || r.data.detail || T.bad_code; return; }
          state = { token: r.data.token, device: r.data.device, queue: [] };
          save(); showStation(); return sync();
        }).catch(function () { $("register-error").textContent = T.error; });
    });
    $("gate").addEventListener("change", function () { state.gate = $("gate").value; save(); });
    window.addEventListener("online", function () { setNet(); upload().then(sync); });
    window.addEventListener("offline", setNet);
    setInterval(function () { upload().then(sync); }, 30000);
    if (state.token) { showStation(); upload().then(sync); } else { showRegister(); }
  } else {
    $("lead-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      api("leads/" + $("lead-id").value + "/", { method: "PATCH", body: { note: $("lead-note").value,
        rating: $("lead-rating").value ? parseInt($("lead-rating").value, 10) : null } })
        .then(function (r) { $("lead-saved").textContent = r.status === 200 ? T.lead_saved : T.error; })
        .catch(function () { $("lead-saved").textContent = T.lead_offline; });
    });
  }
  $("manual").addEventListener("submit", function (ev) {
    ev.preventDefault();
    lastCode = "";
    handle($("manual-code").value);
    $("manual-code").select();
  });
  $("camera-toggle").addEventListener("click", function () { if (stream) stopCamera(); else startCamera(); });

  window.exhScanner = { checkOffline: checkOffline, parse: parse, sync: sync, upload: upload, handle: handle,
                        state: function () { return state; } };
})();
