// Delegations: poll the planning run's progress, and check hand-placed visits as they are typed.
// Everything here is an enhancement: the forms work without JavaScript.
(function () {
  "use strict";
  document.querySelectorAll(".run[data-active='1']").forEach(function (box) {
    var bar = box.querySelector(".run-progress");
    var status = box.querySelector(".run-status");
    var message = box.querySelector(".run-message");
    function poll() {
      fetch(box.dataset.runUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (run) {
          bar.value = run.progress;
          status.textContent = run.status;
          message.textContent = run.message;
          if (run.active) { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, 1000);
  });
  document.querySelectorAll("form.visit-form").forEach(function (form) {
    var out = form.querySelector(".check");
    var timer = null;
    function check() {
      var data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      if (!data.get("date") || !data.get("start")) { return; }
      var url = form.dataset.checkUrl + "?" + new URLSearchParams(data).toString();
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (res) {
          out.className = "check " + (res.ok ? "ok" : "bad");
          out.textContent = res.ok ? "✓ " + (out.dataset.ok || "OK") : res.errors.join(" ");
        });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 300); });
    form.addEventListener("change", check);
  });
})();
