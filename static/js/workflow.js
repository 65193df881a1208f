/* The workflow form: only the fields of the chosen state are shown (the service for
   "adoptée", the target idea for "fusionnée"), and for a service, only the fields of an
   existing or a new one. Without JavaScript every section shows, each titled with its state.
   Delegated listeners: the form may be swapped by htmx (errors) at any time. */
(function () {
  "use strict";

  function show(section, visible) {
    // DSFR's fieldsets set their own display: the utility class makes `hidden` win.
    section.hidden = !visible;
    section.classList.toggle("fr-hidden", !visible);
  }

  function sync(form) {
    var status = form.querySelector("[data-workflow-status]");
    var chosen = status ? status.value : "";
    form.querySelectorAll("[data-when-status]").forEach(function (section) {
      show(section, section.getAttribute("data-when-status") === chosen);
    });
    var service = form.querySelector("input[name='service_choice']:checked");
    var kind = service ? service.value : "existing";
    form.querySelectorAll("[data-when-service]").forEach(function (section) {
      show(section, section.getAttribute("data-when-service") === kind);
    });
  }

  function syncAll(root) {
    (root || document).querySelectorAll("form[data-workflow-form]").forEach(sync);
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-workflow-form]");
    if (form) { sync(form); }
  });
  document.addEventListener("htmx:afterSwap", function () { syncAll(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { syncAll(document); });
  } else {
    syncAll(document);
  }
}());
