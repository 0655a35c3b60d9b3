// Progressive enhancement only: every page works without JavaScript.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit, so screen-reader and keyboard users
  // land on the list of what to correct (WCAG 3.3.1).
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });

  // A link in the error summary puts focus on the field it names, not only scrolls to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    var control = field && field.querySelector("input:not([type=hidden]), select, textarea");
    if (!control) { return; }
    event.preventDefault();
    field.scrollIntoView();
    control.focus({ preventScroll: true });
    history.replaceState(null, "", link.getAttribute("href"));
  });

  // The address bar follows the search (so that reload and Back show the same results), without
  // the cache-buster parameter htmx adds to its own requests (see the htmx-config in base.html).
  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var update = event.detail.history;
    update.path = update.path
      .replace(/([?&])org\.htmx\.cache-buster=[^&#]*&?/, "$1")
      .replace(/[?&](#|$)/, "$1");
  });

  // After htmx swaps search results in place, say the new count in the page's status region.
  document.addEventListener("htmx:afterSwap", function (event) {
    var status = document.querySelector("[data-search-status]");
    var count = event.target.querySelector && event.target.querySelector(".result-count");
    if (status && count) { status.textContent = count.textContent; }
  });
})();
