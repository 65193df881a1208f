/* Fabrique à idées: small behaviours on top of htmx and DSFR. No inline script anywhere, so a
   strict Content-Security-Policy holds. */
(function () {
  "use strict";

  // Ask before destructive actions (buttons carrying data-confirm).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button && button.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A request that never reached the server (network down) still tells the user.
  document.addEventListener("htmx:sendError", function () {
    var region = document.getElementById("htmx-alerts");
    if (!region) { return; }
    var text = document.documentElement.lang === "en"
      ? "The server could not be reached. Check your connection and try again."
      : "Le serveur est injoignable. Vérifiez votre connexion et réessayez.";
    region.innerHTML = '<div class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert"><p></p></div>';
    region.querySelector("p").textContent = text;
  });

  // A swap that replaces the focused control (the join button replaced by the membership box)
  // would drop keyboard and screen reader users back at the top of the page: put focus on the
  // new content's message, else its first control. Content with [autofocus] is left to htmx.
  var swappedFocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    swappedFocus = target && target.contains(document.activeElement) ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var box = swappedFocus && document.getElementById(swappedFocus);
    swappedFocus = null;
    if (!box || (document.activeElement && document.activeElement !== document.body)) { return; }
    var next = box.querySelector('[role="alert"], [role="status"]') ||
      box.querySelector('button, [href], input:not([type="hidden"]), select, textarea') || box;
    if (!next.matches('button, [href], input, select, textarea, [tabindex]')) {
      next.setAttribute("tabindex", "-1");
    }
    next.focus();
  });

  // DSFR copies the header tools (bell, account, language) into the mobile menu as plain HTML
  // once its script has run: hand the copy to htmx too, or its bell would never refresh.
  var menuLinks = document.querySelector(".fr-header__menu-links");
  if (menuLinks && window.htmx) {
    new MutationObserver(function () { window.htmx.process(menuLinks); })
      .observe(menuLinks, { childList: true });
  }

  // Clear a previous htmx error once a later request succeeds.
  document.addEventListener("htmx:afterRequest", function (event) {
    var region = document.getElementById("htmx-alerts");
    if (region && event.detail.successful && event.detail.target !== region) {
      region.innerHTML = "";
    }
  });
})();
