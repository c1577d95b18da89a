// Polls the round's progress while the scheduler runs; reloads when it is done.
(function () {
  var box = document.getElementById("round-progress");
  if (!box || box.dataset.status !== "scheduling") return;
  var bar = box.querySelector("progress"), msg = box.querySelector(".msg");
  function poll() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        bar.value = d.progress; msg.textContent = d.message;
        if (d.status === "scheduling") { setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
