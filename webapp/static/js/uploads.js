// Refuse files that are together over a form's limit before they are sent, beside the field.
// The server checks again; this only spares the family a long upload that would be refused,
// and, above what the server reads at all (413), the loss of everything typed in the form.
(function () {
  "use strict";

  function totalSize(form) {
    var total = 0;
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function messageFor(input) {
    var id = input.id + "-size-error";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("p");
      message.className = "field-error";
      message.id = id;
      message.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", message);
    }
    return message;
  }

  function check(form, input) {
    var over = totalSize(form) > parseInt(form.getAttribute("data-upload-limit"), 10);
    var text = over ? form.getAttribute("data-upload-message") : "";
    input.setCustomValidity(text);  // the browser will not submit the form while it is set
    var message = messageFor(input);
    message.textContent = text;
    message.hidden = !over;
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (v) {
      return v && v !== message.id;
    });
    if (over) { described.push(message.id); }
    input.setAttribute("aria-describedby", described.join(" "));
    input.setAttribute("aria-invalid", over ? "true" : "false");
  }

  document.querySelectorAll("form[data-upload-limit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type !== "file") { return; }
      // One file chosen anew may bring the total back under the limit: recheck them all.
      form.querySelectorAll("input[type=file]").forEach(function (input) { check(form, input); });
    });
  });
})();
