/* Floor plan: zoom and pan of the server-rendered SVG (viewBox), drag to move a stand
 * (organisers; 0.5 m grid; saved by POST, reverted on 400/409), search-hit zoom, and the stand
 * side panel (a click that is not a drag asks htmx for the stand's fragment). Everything here is
 * an enhancement: without JS the links, forms and pages work on their own. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var GRID = 0.5;

  function snap(v) { return Math.round(v / GRID) * GRID; }
  function fmt(v) { return String(Math.round(v * 1000) / 1000); }

  // (Selects with data-autosubmit submit their form through site.js, as on every page.)

  initPlan();

  function initPlan() {
    var wrap = document.querySelector(".plan-wrap");
    var svg = wrap && wrap.querySelector("svg.plan-svg");
    if (!svg) { return; }
    var panel = document.getElementById("stand-panel");
    var status = document.getElementById("plan-status");
    var controls = document.querySelector(".zoom-controls");
    var editable = svg.hasAttribute("data-editable");
    var csrf = wrap.getAttribute("data-csrf");
    var home = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    var vb = home.slice();
    var minW = 4, maxW = home[2] * 3;
    if (controls) { controls.hidden = false; }

    function setViewBox(b) {
      vb = b;
      svg.setAttribute("viewBox", b.map(fmt).join(" "));
    }
    function say(msg, kind) {
      if (!status) { return; }
      status.textContent = msg || "";
      status.className = "plan-status" + (kind ? " " + kind : "");
    }
    function toSvg(clientX, clientY) {
      var pt = svg.createSVGPoint();
      pt.x = clientX; pt.y = clientY;
      return pt.matrixTransform(svg.getScreenCTM().inverse());
    }
    function unitsPerPixel() {
      var r = svg.getBoundingClientRect();
      return Math.max(vb[2] / r.width, vb[3] / r.height);
    }
    function zoom(factor, cx, cy) {
      var w = Math.min(maxW, Math.max(minW, vb[2] * factor));
      var f = w / vb[2];
      if (cx === undefined) { cx = vb[0] + vb[2] / 2; cy = vb[1] + vb[3] / 2; }
      setViewBox([cx - (cx - vb[0]) * f, cy - (cy - vb[1]) * f, vb[2] * f, vb[3] * f]);
    }
    function zoomTo(x0, y0, x1, y1) {
      var pad = Math.max(6, (x1 - x0) * 0.15, (y1 - y0) * 0.15);
      var w = x1 - x0 + 2 * pad, h = y1 - y0 + 2 * pad;
      var ratio = home[2] / home[3];
      if (w / h < ratio) { w = h * ratio; } else { h = w / ratio; }
      if (w >= home[2]) { setViewBox(home.slice()); return; }  // the hits are all over the hall
      var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
      setViewBox([cx - w / 2, cy - h / 2, w, h]);
    }

    if (controls) {
      controls.addEventListener("click", function (e) {
        var b = e.target.closest("button[data-zoom]");
        if (!b) { return; }
        var what = b.getAttribute("data-zoom");
        if (what === "in") { zoom(1 / 1.5); } else if (what === "out") { zoom(1.5); } else { setViewBox(home.slice()); }
      });
    }
    svg.addEventListener("wheel", function (e) {
      e.preventDefault();
      var p = toSvg(e.clientX, e.clientY);
      zoom(e.deltaY > 0 ? 1.2 : 1 / 1.2, p.x, p.y);
    }, { passive: false });
    svg.addEventListener("dragstart", function (e) { e.preventDefault(); });

    // Keyboard: arrows pan and +/- zoom while focus is in the plan; Shift+arrows move a focused stand.
    wrap.addEventListener("keydown", function (e) {
      var keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      var link = e.target.closest && e.target.closest("a.stand-link");
      if (keys[e.key] && e.shiftKey && editable && link) {
        e.preventDefault();
        var g = link.querySelector(".stand");
        var d = keys[e.key];
        save(g, Number(g.dataset.x) + d[0] * GRID, Number(g.dataset.y) + d[1] * GRID);
        return;
      }
      if (keys[e.key] && !e.shiftKey) {
        e.preventDefault();
        var step = vb[2] * 0.1;
        setViewBox([vb[0] + keys[e.key][0] * step, vb[1] + keys[e.key][1] * step, vb[2], vb[3]]);
      } else if (e.key === "+" || e.key === "=") { e.preventDefault(); zoom(1 / 1.5); }
      else if (e.key === "-") { e.preventDefault(); zoom(1.5); }
      else if (e.key === "0") { e.preventDefault(); setViewBox(home.slice()); }
    });

    // Pointer: drag the floor to pan; drag a stand (organisers) to move it.
    var drag = null;
    var suppressClick = false;
    var touches = {};  // pointer id -> last position, for the two-finger pinch
    function pinchState() {
      var ids = Object.keys(touches);
      var a = touches[ids[0]], b = touches[ids[1]];
      return { dist: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)), mx: (a.x + b.x) / 2, my: (a.y + b.y) / 2 };
    }
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "touch") {
        touches[e.pointerId] = { x: e.clientX, y: e.clientY };
        if (Object.keys(touches).length === 2) {
          if (drag && drag.kind === "stand") { drag.g.removeAttribute("transform"); drag.g.classList.remove("dragging"); }
          var st = pinchState(), mid = toSvg(st.mx, st.my);
          drag = { kind: "pinch", d0: st.dist, vb: vb.slice(), cx: mid.x, cy: mid.y, moved: true, id: null };
          return;
        }
      }
      if (e.button !== 0) { return; }
      var g = e.target.closest(".stand");
      if (g && editable) {
        e.preventDefault();
        var p = toSvg(e.clientX, e.clientY);
        drag = { kind: "stand", g: g, sx: e.clientX, sy: e.clientY, px: p.x, py: p.y,
                 x: Number(g.dataset.x), y: Number(g.dataset.y), dx: 0, dy: 0, moved: false, id: e.pointerId };
      } else if (!g) {
        drag = { kind: "pan", sx: e.clientX, sy: e.clientY, vb: vb.slice(), upp: unitsPerPixel(), moved: false, id: e.pointerId };
      } else {
        return;
      }
    });
    svg.addEventListener("pointermove", function (e) {
      if (touches[e.pointerId]) { touches[e.pointerId] = { x: e.clientX, y: e.clientY }; }
      if (drag && drag.kind === "pinch") {
        if (Object.keys(touches).length < 2) { return; }
        e.preventDefault();
        var st = pinchState();
        var w = Math.min(maxW, Math.max(minW, drag.vb[2] * drag.d0 / st.dist));
        var k = w / drag.vb[2];
        setViewBox([drag.cx - (drag.cx - drag.vb[0]) * k, drag.cy - (drag.cy - drag.vb[1]) * k, drag.vb[2] * k, drag.vb[3] * k]);
        return;
      }
      if (!drag || e.pointerId !== drag.id) { return; }
      var far = Math.abs(e.clientX - drag.sx) + Math.abs(e.clientY - drag.sy) > 3;
      if (!drag.moved && !far) { return; }
      if (!drag.moved) {
        // Capture only once it is a drag, so that a plain click still reaches the stand's link.
        try { svg.setPointerCapture(e.pointerId); } catch (err) { /* not all pointers */ }
      }
      drag.moved = true;
      if (drag.kind === "pan") {
        wrap.classList.add("panning");
        setViewBox([drag.vb[0] - (e.clientX - drag.sx) * drag.upp, drag.vb[1] - (e.clientY - drag.sy) * drag.upp, drag.vb[2], drag.vb[3]]);
      } else {
        var p = toSvg(e.clientX, e.clientY);
        var nx = Math.max(0, snap(drag.x + p.x - drag.px)), ny = Math.max(0, snap(drag.y + p.y - drag.py));
        drag.dx = nx - drag.x; drag.dy = ny - drag.y;
        drag.g.classList.add("dragging");
        drag.g.setAttribute("transform", "translate(" + fmt(drag.dx) + " " + fmt(drag.dy) + ")");
        say(drag.g.dataset.number + ": x " + fmt(nx) + " m, y " + fmt(ny) + " m");
      }
    });
    function endDrag(e) {
      delete touches[e.pointerId];
      if (drag && drag.kind === "pinch") {
        if (Object.keys(touches).length < 2) { drag = null; suppressClick = true; setTimeout(function () { suppressClick = false; }, 0); }
        return;
      }
      if (!drag || e.pointerId !== drag.id) { return; }
      var d = drag;
      drag = null;
      wrap.classList.remove("panning");
      if (d.moved) { suppressClick = true; setTimeout(function () { suppressClick = false; }, 0); }
      if (d.kind === "stand" && d.moved) {
        d.g.classList.remove("dragging");
        if (d.dx === 0 && d.dy === 0) { d.g.removeAttribute("transform"); return; }
        save(d.g, d.x + d.dx, d.y + d.dy);
      }
    }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", function (e) {
      delete touches[e.pointerId];
      if (drag && drag.kind === "stand") { drag.g.removeAttribute("transform"); drag.g.classList.remove("dragging"); }
      drag = null;
    });

    function place(g, x, y) {
      var rect = g.querySelector("rect"), text = g.querySelector("text");
      var w = Number(g.dataset.w), d = Number(g.dataset.d);
      g.dataset.x = fmt(x); g.dataset.y = fmt(y);
      rect.setAttribute("x", fmt(x)); rect.setAttribute("y", fmt(y));
      if (text) { text.setAttribute("x", fmt(x + w / 2)); text.setAttribute("y", fmt(y + d / 2)); }
      g.removeAttribute("transform");
    }
    function save(g, x, y) {
      var body = new FormData();
      body.append("x", fmt(x)); body.append("y", fmt(y)); body.append("version", g.dataset.version || "");
      g.setAttribute("transform", "translate(" + fmt(x - Number(g.dataset.x)) + " " + fmt(y - Number(g.dataset.y)) + ")");
      say(g.dataset.number + "…");
      fetch(g.dataset.move, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
      }).then(function (r) {
        return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; },
                             function () { return { ok: false, status: r.status, data: {} }; });
      }).then(function (res) {
        if (res.ok) {
          place(g, res.data.x, res.data.y);
          g.dataset.version = res.data.version;
          say(res.data.message, "ok");
        } else {
          g.removeAttribute("transform");  // back where it was
          say(res.data.error || ("Error " + res.status), "bad");
        }
      }).catch(function () {
        g.removeAttribute("transform");
        say(status ? status.getAttribute("data-offline") || "Network error: the stand was not moved." : "", "bad");
      });
    }

    // Click a stand (not the end of a drag): the side panel, the stand page's fragment, by htmx.
    var lastLink = null;
    svg.addEventListener("click", function (e) {
      var link = e.target.closest("a.stand-link");
      if (suppressClick) { e.preventDefault(); return; }
      if (!link || !panel || !window.htmx) { return; }  // no htmx: the link opens the stand's page
      e.preventDefault();
      openPanel(link);
    });
    function openPanel(link) {
      var url = link.getAttribute("href");
      var number = link.querySelector(".stand").dataset.number;
      lastLink = link;
      svg.querySelectorAll(".stand.selected").forEach(function (s) { s.classList.remove("selected"); });
      link.querySelector(".stand").classList.add("selected");
      function opened() {
        var body = panel.querySelector(".panel-body");
        if (!body || body.dataset.number !== number) { window.location.href = url; return; }  // it failed
        panel.hidden = false;
        var close = panel.querySelector("[data-close-panel]");
        if (close) { close.hidden = false; }
        panel.focus();
      }
      window.htmx.ajax("GET", url, { target: panel, swap: "innerHTML" }).then(opened, function () { window.location.href = url; });
    }
    if (panel) {
      panel.addEventListener("click", function (e) {
        if (e.target.closest("[data-close-panel]")) { closePanel(); }
      });
      panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { closePanel(); } });
    }
    function closePanel() {
      panel.hidden = true;
      panel.innerHTML = "";
      if (lastLink) { lastLink.focus(); }
    }

    // Search hits: zoom to them.
    var hits = svg.querySelectorAll(".stand.hit");
    if (hits.length) {
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      hits.forEach(function (g) {
        var x = Number(g.dataset.x), y = Number(g.dataset.y);
        x0 = Math.min(x0, x); y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + Number(g.dataset.w)); y1 = Math.max(y1, y + Number(g.dataset.d));
      });
      zoomTo(x0, y0, x1, y1);
    } else if (wrap.clientWidth < 640) {
      // A phone: the whole hall would be a strip of unreadable stands. Start at a readable
      // scale (about 8 px per metre) on the hall's top left corner; pan with a finger or the
      // arrow keys, zoom with two fingers or the buttons, and Reset shows the whole hall.
      var w = wrap.clientWidth / 8, h = wrap.clientHeight / 8;
      if (w < home[2] - 4) { setViewBox([home[0], home[1], w, h]); }
    }
  }
})();
