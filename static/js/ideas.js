/* Idea pages: the draft kept in this browser while an idea is written, and focus after
   "Afficher plus". No inline script anywhere, so a strict Content-Security-Policy holds. */
(function () {
  "use strict";

  var PREFIX = "fabrique:";

  function storage() {
    // Private browsing or a full quota makes localStorage throw: then drafts are simply off.
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && element.name !== "csrf_token" && element.type !== "submit"
        && element.type !== "button" && element.type !== "hidden";
    });
  }

  function read(form) {
    var values = {};
    fieldsOf(form).forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        values[element.name] = values[element.name] || [];
        if (element.checked) { values[element.name].push(element.value); }
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fieldsOf(form).forEach(function (element) {
      if (!(element.name in values)) { return; }
      var value = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else {
        element.value = value;
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function hasText(values) {
    return Boolean((values.title || "").trim() || (values.body || "").trim());
  }

  function setUpDraft(form, store) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var notice = document.getElementById("draft-notice");
    var initial = read(form);  // what the server rendered: empty, the idea, or a refused post
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (error) { saved = null; }

    if (saved && saved.values && hasText(saved.values) && !same(saved.values, initial)) {
      write(form, saved.values);
      if (notice) { notice.hidden = false; }
    }

    var timer = null;
    function save() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var values = read(form);
        if (same(values, initial) || !hasText(values)) {
          store.removeItem(key);
        } else {
          try {
            store.setItem(key, JSON.stringify({values: values, savedAt: Date.now()}));
          } catch (error) { /* quota full: the form still works */ }
        }
      }, 300);
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);

    var discard = notice && notice.querySelector("[data-draft-discard]");
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        write(form, initial);
        notice.hidden = true;
        var title = form.elements.namedItem("title");
        if (title) { title.focus(); }
      });
    }
  }

  function foldOnPhones() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 47.98em)").matches) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("details[data-fold-on-phones]"),
      function (details) { details.open = false; });
  }

  function init() {
    findComment();
    foldOnPhones();
    var store = storage();
    if (!store) { return; }
    // After a successful post or edit the idea page says which draft is done with.
    Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (el) {
      store.removeItem(PREFIX + el.getAttribute("data-clear-draft"));
    });
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"),
      function (form) { setUpDraft(form, store); });
  }

  // "Afficher plus" removes its own button: move the focus to the first idea it brought (its
  // link), or to the first comment "Afficher les commentaires suivants" brought (the comment
  // itself, which screen readers announce by its author).
  document.addEventListener("htmx:afterSettle", function () {
    var first = document.querySelector("[data-focus-here]");
    if (!first) { return; }
    var what = first.getAttribute("data-focus-here");
    first.removeAttribute("data-focus-here");
    var target = what ? first.querySelector(what) : first.querySelector("a");
    if (!target) { return; }
    if (what) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  });

  // A comment posted here was added under the comments shown; once the later pages of the
  // thread bring it in its place, the first copy goes.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!list || list.id !== "commentaires-liste") { return; }
    Array.prototype.forEach.call(list.querySelectorAll("[data-posted-here]"), function (item) {
      var article = item.querySelector("article[id]");
      if (article && document.querySelectorAll("#" + article.id).length > 1) { item.remove(); }
    });
  });

  // The idea page shows one page of its thread: a link to a comment on another page (an old
  // email, a bookmark) goes through the comment's permalink, which finds its page.
  function findComment() {
    var match = /^#commentaire-(\d+)$/.exec(window.location.hash);
    var thread = document.getElementById("commentaires");
    if (!match || !thread || document.getElementById(match[0].slice(1))) { return; }
    if (/[?&]commentaires=/.test(window.location.search)) { return; }  // been there already
    var permalink = thread.getAttribute("data-permalink");
    if (permalink) { window.location.replace(permalink.replace(/0$/, match[1])); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
