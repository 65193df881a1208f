/* Search: the header's search box as an ARIA combobox (APG "list autocomplete" pattern), and
   what screen readers are told when the similar ideas beside the new-idea form change.
   htmx fetches the suggestions and the similar ideas; this file only handles the keyboard,
   clicks and announcements. No inline script or handler anywhere (strict CSP). */
(function () {
  "use strict";

  var INPUT_ID = "header-search-input";
  var LISTBOX_ID = "header-search-listbox";
  var STATUS_ID = "header-search-status";
  var dismissed = false; // Escape closed the list: a late answer must not open it again

  function input() { return document.getElementById(INPUT_ID); }
  function listbox() { return document.getElementById(LISTBOX_ID); }

  function options() {
    var box = listbox();
    return box ? Array.prototype.slice.call(box.querySelectorAll('[role="option"]')) : [];
  }

  function isOpen() {
    var box = listbox();
    return Boolean(box && !box.hidden);
  }

  function activeIndex() {
    var id = input().getAttribute("aria-activedescendant");
    return options().findIndex(function (option) { return option.id === id; });
  }

  function setActive(index) {
    var field = input();
    options().forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        field.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({block: "nearest"});
      }
    });
    if (index < 0) { field.removeAttribute("aria-activedescendant"); }
  }

  function open() {
    var box = listbox();
    if (!box || !options().length) { return false; }
    box.hidden = false;
    input().setAttribute("aria-expanded", "true");
    return true;
  }

  function close() {
    var box = listbox();
    if (box) { box.hidden = true; }
    setActive(-1);
    input().setAttribute("aria-expanded", "false");
  }

  function follow(option) {
    var href = option && option.getAttribute("data-href");
    // Our own paths only (the server writes them; never an absolute or protocol URL).
    if (href && href.charAt(0) === "/" && href.charAt(1) !== "/") {
      window.location.assign(href);
    }
  }

  function onKeydown(event) {
    var count = options().length;
    var index = activeIndex();
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) { return; }
      event.preventDefault();
      dismissed = false;
      if (!isOpen()) {
        open();
        setActive(event.key === "ArrowDown" ? 0 : count - 1);
        return;
      }
      var step = event.key === "ArrowDown" ? 1 : -1;
      setActive(index < 0 ? (step > 0 ? 0 : count - 1) : (index + step + count) % count);
    } else if (event.key === "Enter") {
      if (isOpen() && index >= 0) {
        event.preventDefault();
        follow(options()[index]);
      }
      // Otherwise the form submits: the full results page.
    } else if (event.key === "Escape") {
      if (isOpen()) {
        event.preventDefault(); // keep the text (a search field clears itself on Escape)
        dismissed = true;
        close();
      }
    }
  }

  // A fresh list from htmx: open it if the box still has focus and has suggestions, and say
  // how many there are.
  function onNewSuggestions() {
    var field = input();
    var box = listbox();
    if (!field || !box) { return; }
    setActive(-1);
    if (dismissed || document.activeElement !== field || !field.value.trim() || !open()) {
      close();
    }
    var status = document.getElementById(STATUS_ID);
    if (status) { status.textContent = box.getAttribute("data-status") || ""; }
  }

  function setUpCombobox() {
    var field = input();
    if (!field) { return; }
    field.addEventListener("keydown", onKeydown);
    field.addEventListener("input", function () { dismissed = false; });
    field.addEventListener("blur", function () { if (isOpen()) { close(); } });
    // Keep focus in the box when an option is clicked (its blur would close the list first).
    field.form.addEventListener("mousedown", function (event) {
      if (event.target.closest('[role="option"]')) { event.preventDefault(); }
    });
    field.form.addEventListener("click", function (event) {
      follow(event.target.closest('[role="option"]'));
    });
  }

  // -- Similar ideas beside the new-idea form: announce the new list when it changed.
  var similarIds = null;

  function onNewSimilar(box) {
    var content = box.querySelector(".similar-ideas__content");
    var status = document.getElementById("similar-ideas-status");
    if (!content || !status) { return; }
    var ids = content.getAttribute("data-ids") || "";
    if (ids !== similarIds) {
      similarIds = ids;
      status.textContent = content.getAttribute("data-status") || "";
    }
  }

  // -- Search page: the facets box stays folded or open as it was when results are replaced
  // (the server sends it open; on phones ideas.js folds it at load).
  var facetsOpen = null;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var facets = document.getElementById("search-facets");
    var target = event.detail && event.detail.target;
    facetsOpen = facets && target && target.id === "search-area" ? facets.open : null;
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var from = detail.requestConfig && detail.requestConfig.elt;
    if (from && from.id === INPUT_ID) {
      onNewSuggestions();
    } else if (detail.target && detail.target.id === "similar-ideas") {
      onNewSimilar(detail.target);
    } else if (detail.target && detail.target.id === "search-area" && facetsOpen !== null) {
      var facets = document.getElementById("search-facets");
      if (facets) { facets.open = facetsOpen; }
      facetsOpen = null;
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpCombobox);
  } else {
    setUpCombobox();
  }
})();
