// Counts down the time left on a stand hold. The page works without it (the server shows the time).
(function () {
  "use strict";
  function tick(el) {
    var until = Date.parse(el.getAttribute("data-until"));
    var left = Math.max(0, Math.floor((until - Date.now()) / 1000));
    if (left === 0) {
      el.textContent = el.getAttribute("data-expired");
      el.classList.add("expired");
      return false;
    }
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    return true;
  }
  function start() {
    var els = document.querySelectorAll(".countdown[data-until]");
    els.forEach(function (el) {
      if (!tick(el)) return;
      var timer = setInterval(function () { if (!tick(el)) clearInterval(timer); }, 1000);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
