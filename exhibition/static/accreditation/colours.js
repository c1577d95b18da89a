// Category colours come from the organiser's settings: applied here (no inline styles), on load
// and to what htmx swaps in (the live operations panel).
(function () {
  function paint(root) {
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      if (/^#[0-9a-fA-F]{6}$/.test(el.dataset.colour)) el.style.setProperty("--cat", el.dataset.colour);
    });
  }
  paint(document);
  document.addEventListener("htmx:load", function (event) {
    if (event.target.querySelectorAll) paint(event.target);
  });
})();
