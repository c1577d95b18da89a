// Polls running print batches until their PDF is ready (the page also works without it: reload).
(function () {
  document.querySelectorAll("[data-print-job]").forEach(function (row) {
    function poll() {
      if (row.dataset.status !== "queued" && row.dataset.status !== "running") return;
      fetch(row.dataset.printJob, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("[data-print-job]");
          if (fresh) { row.replaceWith(fresh); row = fresh; }
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    poll();
  });
})();
