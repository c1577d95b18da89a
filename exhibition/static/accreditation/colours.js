// Category colours come from the organiser's settings: applied here (no inline styles).
(function () {
  document.querySelectorAll("[data-colour]").forEach(function (el) {
    if (/^#[0-9a-fA-F]{6}$/.test(el.dataset.colour)) el.style.setProperty("--cat", el.dataset.colour);
  });
})();
