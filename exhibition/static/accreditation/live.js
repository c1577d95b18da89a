// Live operations: the figures refresh every 30 seconds (the page also works without it: reload).
(function () {
  var box = document.getElementById("live");
  if (!box || !window.fetch) return;
  function refresh() {
    fetch(window.location.href, { headers: { "X-Partial": "live" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("live");
        if (fresh) box.replaceChildren.apply(box, Array.prototype.slice.call(fresh.childNodes));
        document.querySelectorAll("[data-colour]").forEach(function (el) { el.style.setProperty("--cat", el.dataset.colour); });
      })
      .catch(function () { /* keep the last figures */ })
      .finally(function () { setTimeout(refresh, 30000); });
  }
  setTimeout(refresh, 30000);
})();
