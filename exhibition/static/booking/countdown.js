// Counts down the time left on a stand hold. The page works without it (the server shows the time).
// The clock (role="timer") is not read out every second; a polite live region says when five
// minutes, then one minute, are left, and when the hold has lapsed.
(function () {
  "use strict";
  function announcer(el) {
    var region = document.createElement("span");
    region.className = "countdown-announce sr-only";
    region.setAttribute("role", "status");
    el.parentNode.appendChild(region);  // in the page before it speaks, so that it is announced
    return region;
  }
  function say(el, text) {
    if (!text || el._said === text) return;
    el._said = text;
    if (!el._quiet) el._region.textContent = text;  // what the page said when it loaded is not repeated
  }
  function tick(el) {
    var until = Date.parse(el.getAttribute("data-until"));
    var left = Math.max(0, Math.floor((until - Date.now()) / 1000));
    if (left === 0) {
      el.textContent = el.getAttribute("data-expired");
      el.classList.add("expired");
      say(el, el.getAttribute("data-expired"));
      return false;
    }
    if (left <= 60) say(el, el.getAttribute("data-last"));
    else if (left <= 300) say(el, el.getAttribute("data-soon"));
    el.textContent = words(el, left);
    return true;
  }
  // "23 h 59 min", under an hour "4 min 05 s": the page's own (translated) formats, with the
  // placeholders the server fills in the same way.
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function words(el, left) {
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    var format = h ? el.getAttribute("data-hours") : el.getAttribute("data-minutes");
    if (!format) return (h ? h + ":" + two(m) + ":" : m + ":") + two(s);
    return format.replace("%(h)d", h).replace("%(m)02d", two(m)).replace("%(m)d", m).replace("%(s)02d", two(s));
  }
  function start() {
    var els = document.querySelectorAll(".countdown[data-until]");
    els.forEach(function (el) {
      el._region = announcer(el);
      el._quiet = true;
      var going = tick(el);
      el._quiet = false;
      if (!going) return;
      var timer = setInterval(function () { if (!tick(el)) clearInterval(timer); }, 1000);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
