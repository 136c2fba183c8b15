// What a person typed into a page's form survives a switch of the page language: the switch
// reloads the same page in the other language, and its fields come back filled. Passwords,
// files and fields marked autocomplete="off" (an ID number) are never kept; the copy lives in
// this tab's sessionStorage only, and is removed as soon as it is put back.
(function () {
  "use strict";

  var KEY = "familybook.typed:" + window.location.pathname;
  var SKIPPED = ["password", "file", "hidden", "submit", "button", "checkbox", "radio"];

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && SKIPPED.indexOf(field.type) < 0 &&
        field.getAttribute("autocomplete") !== "off";
    });
  }

  function pageForms() {
    return document.querySelectorAll("main form");
  }

  function remember() {
    var typed = [];
    pageForms().forEach(function (form, index) {
      keptFields(form).forEach(function (field) {
        if (field.value) { typed.push([index, field.name, field.value]); }
      });
    });
    try {
      if (typed.length) { window.sessionStorage.setItem(KEY, JSON.stringify(typed)); }
    } catch (ignored) { /* storage full or off: the switch goes on without the copy */ }
  }

  function restore() {
    var saved;
    try {
      saved = window.sessionStorage.getItem(KEY);
      window.sessionStorage.removeItem(KEY);
    } catch (ignored) { return; }
    if (!saved) { return; }
    var forms = pageForms();
    JSON.parse(saved).forEach(function (entry) {
      var form = forms[entry[0]];
      var field = form && form.elements.namedItem(entry[1]);
      if (field && !field.value && keptFields(form).indexOf(field) >= 0) {
        field.value = entry[2];
        field.dispatchEvent(new Event("input", { bubbles: true }));  // e.g. the live counter
      }
    });
  }

  document.querySelectorAll(".lang-switch form").forEach(function (form) {
    form.addEventListener("submit", remember);
  });
  restore();
})();
