// Polls the screening run's progress while it runs (the page also works without it: reload).
(function () {
  var box = document.getElementById("screening-run");
  if (!box || !window.fetch) return;
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value;
  }
  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        set("done", d.done); set("total", d.total); set("hits", d.hits); set("status", d.status);
        var bar = box.querySelector("progress");
        if (bar) bar.value = d.percent;
        if (d.status === "queued" || d.status === "running") setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") poll();
})();
