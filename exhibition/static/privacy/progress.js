// Polls the progress of privacy jobs (shredder runs, exports, erasures) while they run.
// Without JavaScript the page shows the state at load time: reload to follow it.
(function () {
  if (!window.fetch) return;
  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    function set(name, value) {
      var el = box.querySelector('[data-field="' + name + '"]');
      if (el) el.textContent = value;
    }
    function poll() {
      fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (d) {
          set("status", d.status_label); set("done", d.done); set("total", d.total); set("message", d.message);
          var bar = box.querySelector("progress");
          if (bar) bar.value = d.percent;
          if (d.status === "queued" || d.status === "running") setTimeout(poll, 1000);
          else window.location.reload();
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    if (box.dataset.status === "queued" || box.dataset.status === "running") setTimeout(poll, 1000);
  });
})();
