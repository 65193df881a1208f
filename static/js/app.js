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

  // Clear a previous htmx error once a later request succeeds.
  document.addEventListener("htmx:afterRequest", function (event) {
    var region = document.getElementById("htmx-alerts");
    if (region && event.detail.successful && event.detail.target !== region) {
      region.innerHTML = "";
    }
  });
})();
