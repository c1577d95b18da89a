// Small behaviours any page may use. The Content-Security-Policy allows no inline handlers
// (onchange="", onclick=""): markup asks for them with data attributes instead.
//   <select data-autosubmit>  submits its form when the choice changes (a button in <noscript> does it without JS)
//   <button data-print hidden> prints the page (shown only when JavaScript runs)
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });
})();
