// Small behaviours any page may use. The Content-Security-Policy allows no inline handlers
// (onchange="", onclick=""): markup asks for them with data attributes instead.
//   <select data-autosubmit>  submits its form when the choice changes (a button in <noscript> does it without JS)
//   <button data-print hidden> prints the page (shown only when JavaScript runs)
//   <form method="post"> is sent once (a second click while it is on its way does nothing);
//                            <form data-resubmit> opts out
// Partial updates and progress bars are htmx attributes in the templates (hx-get, hx-trigger), not
// code here; below, only what every htmx request needs.
// and, for every page: the main navigation's disclosures (site.css keeps "Menu" open on a laptop;
// a section closes on Escape, a click elsewhere or when another opens), and tables that never
// overflow their card (each table sits in a region that scrolls sideways, focusable when it
// does; a table.stack gets its column names on each cell for the phone layout), and strips of tabs
// that show their current tab.
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

  // --- navigation --------------------------------------------------------------------------------
  var menu = document.querySelector("[data-nav-menu]");
  var laptop = window.matchMedia ? window.matchMedia("(min-width: 1000px)") : null;
  function syncMenu() {  // open on a laptop (site.css shows it anyway where ::details-content exists), closed on a phone
    if (menu && laptop) { menu.open = laptop.matches; }
  }
  syncMenu();
  if (laptop && laptop.addEventListener) { laptop.addEventListener("change", syncMenu); }
  var groups = document.querySelectorAll(".nav-group > details");
  function closeGroups(except) {
    groups.forEach(function (d) { if (d !== except) { d.open = false; } });
  }
  groups.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open) { closeGroups(d); } });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".nav-group")) { closeGroups(null); }
    if (menu && menu.open && !(laptop && laptop.matches) && !event.target.closest(".nav")) { menu.open = false; }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector(".nav-group > details[open]");
    if (open) { open.open = false; open.querySelector("summary").focus(); return; }
    if (menu && menu.open && !(laptop && laptop.matches)) { menu.open = false; menu.querySelector("summary").focus(); }
  });
  // --- tables ------------------------------------------------------------------------------------
  function regionName(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = table.closest("section, article, .card");
    var heading = section && section.querySelector("h2, h3");
    if (!heading) { heading = document.querySelector("main h1"); }
    return heading ? heading.textContent.trim() : document.title;
  }
  function focusableWhenScrolling(region) {
    var scrolls = region.scrollWidth > region.clientWidth + 1;
    if (scrolls && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      region.dataset.scrollFocus = "1";
    } else if (!scrolls && region.dataset.scrollFocus) {
      region.removeAttribute("tabindex");
      delete region.dataset.scrollFocus;
    }
  }
  function prepareTables(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("main table").forEach(function (table) {
      var region = table.parentElement;
      if (!region.matches(".table-scroll, .table-wrap")) {
        region = document.createElement("div");
        region.className = "table-scroll";
        table.parentNode.insertBefore(region, table);
        region.appendChild(table);
      }
      if (!region.hasAttribute("role")) {
        region.setAttribute("role", "group");
        region.setAttribute("aria-label", regionName(table));
      }
      focusableWhenScrolling(region);
      if (table.classList.contains("stack")) {
        // a column whose name only a screen reader hears (e.g. "Actions") gets no visible label
        var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
          var hidden = th.querySelector(".sr-only");
          var text = th.textContent.trim();
          return hidden && hidden.textContent.trim() === text ? "" : text;
        });
        table.querySelectorAll("tbody tr").forEach(function (tr) {
          Array.prototype.forEach.call(tr.children, function (cell, i) {
            // a cell across several columns ("No site days yet.") speaks for itself
            if (names[i] && cell.colSpan < 2 && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
            // an empty cell would leave its column's name alone on the card
            if (!cell.textContent.trim() && !cell.querySelector("img, svg, input, select, textarea, button")) { cell.classList.add("blank"); }
          });
        });
      }
    });
  }
  prepareTables(document);
  // --- tabs ----------------------------------------------------------------------------------------
  // On a phone a strip of tabs scrolls sideways (site.css): the current tab is brought into view.
  document.querySelectorAll(".tabs").forEach(function (strip) {
    var current = strip.querySelector("[aria-current]");
    if (!current || strip.scrollWidth <= strip.clientWidth) { return; }
    var a = current.getBoundingClientRect(), s = strip.getBoundingClientRect();
    if (a.left < s.left || a.right > s.right) {
      // centred, or up to 24 px in so the tab before it shows, the whole tab still in view
      var room = s.width - a.width;
      strip.scrollLeft += a.left - s.left - Math.max(0, Math.min(24, room), room / 2);
    }
  });
  document.addEventListener("htmx:load", function (event) { prepareTables(event.target); });
  // --- forms ---------------------------------------------------------------------------------------
  // A form that posts is sent once: another click or Enter while the first is on its way is ignored,
  // and the button that sent it says it is busy. The page coming back from the browser's history,
  // or 15 s without an answer, makes it usable again. <form data-resubmit> opts out.
  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[aria-busy]").forEach(function (el) {
      el.removeAttribute("aria-busy");
      el.removeAttribute("aria-disabled");
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.matches || form.hasAttribute("data-resubmit")) { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    // not disabled: a disabled button would not send its own name and value
    var button = event.submitter;
    if (button && form.contains(button)) {
      button.setAttribute("aria-busy", "true");
      button.setAttribute("aria-disabled", "true");
    }
    setTimeout(function () { release(form); }, 15000);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { document.querySelectorAll("form[data-sending]").forEach(release); }
  });
  // --- htmx ----------------------------------------------------------------------------------------
  // A partial request that the server redirected (signed out, the session ended) is not swapped into
  // the page: the browser goes where the server sent it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr, asked = event.detail.requestConfig && event.detail.requestConfig.path;
    if (!xhr || !xhr.responseURL || !asked) { return; }
    if (new URL(xhr.responseURL).pathname !== new URL(asked, window.location.href).pathname) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      document.querySelectorAll(".table-scroll, .table-wrap").forEach(focusableWhenScrolling);
    }, 150);
  });
})();
