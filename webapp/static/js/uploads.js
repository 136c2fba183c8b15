// Refuse files that are together over a form's limit before they are sent, beside the field,
// and show how far the sending has got. The server checks again; the check only spares the
// family a long upload that would be refused, and, above what the server reads at all (413),
// the loss of everything typed in the form.
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

  // -- Progress while the files travel -------------------------------------------------------
  // A form with files chosen is sent by XMLHttpRequest, whose upload events tell how much has
  // gone; the page the server answers (the next step, or the form again with its errors) then
  // replaces this one, as a plain submission would show it. Without script, the form is sent
  // as usual.

  function statusFor(form) {
    var status = form.querySelector(".upload-progress");
    if (!status) {
      status = document.createElement("div");
      status.className = "upload-progress";
      status.setAttribute("role", "status");
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      var text = document.createElement("span");
      status.appendChild(bar);
      status.appendChild(text);
      var anchor = form.querySelector(".actions") || form.querySelector("[type=submit]");
      if (anchor) { anchor.insertAdjacentElement("beforebegin", status); } else { form.appendChild(status); }
    }
    status.hidden = false;
    return status;
  }

  function show(form, status, percent) {
    var bar = status.querySelector("progress");
    bar.value = percent;
    // Screen readers hear the text: it changes in steps of ten, not at every event.
    var step = Math.floor(percent / 10) * 10;
    var text = status.querySelector("span");
    var said = percent >= 100
      ? form.getAttribute("data-upload-done")
      : form.getAttribute("data-upload-progress").replace("{percent}", String(step));
    if (text.textContent !== said) { text.textContent = said; }
  }

  function failed(form, status, message, button) {
    status.querySelector("progress").hidden = true;
    status.querySelector("span").textContent = message;
    status.classList.add("upload-progress--failed");
    if (button) { button.disabled = false; }
  }

  function render(xhr) {
    // The server's answer becomes the page, at the address it came from (after a redirect,
    // the next page's), as a normal submission would leave the browser.
    if (xhr.responseURL && xhr.responseURL !== window.location.href) {
      window.history.pushState(null, "", xhr.responseURL);
    }
    document.open();
    document.write(xhr.responseText);
    document.close();
  }

  function hasFiles(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var button = submitter || form.querySelector("[type=submit]");
    var status = statusFor(form);
    status.classList.remove("upload-progress--failed");
    status.querySelector("progress").hidden = false;
    show(form, status, 0);
    if (button) { button.disabled = true; }  // one sending at a time
    var xhr = new XMLHttpRequest();
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { show(form, status, Math.round(100 * event.loaded / event.total)); }
    });
    xhr.upload.addEventListener("load", function () { show(form, status, 100); });
    xhr.addEventListener("load", function () {
      if (xhr.status === 413) {  // over what the server reads: keep the form as it is
        failed(form, status, form.getAttribute("data-upload-message"), button);
        return;
      }
      render(xhr);
    });
    var lost = function () { failed(form, status, form.getAttribute("data-upload-failed"), button); };
    xhr.addEventListener("error", lost);
    xhr.addEventListener("abort", lost);
    xhr.addEventListener("timeout", lost);
    xhr.open("POST", form.action);
    xhr.send(data);
  }

  document.querySelectorAll("form[data-upload-limit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.type !== "file") { return; }
      // One file chosen anew may bring the total back under the limit: recheck them all.
      form.querySelectorAll("input[type=file]").forEach(function (input) { check(form, input); });
    });
    form.addEventListener("submit", function (event) {
      if (!hasFiles(form) || !window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      send(form, event.submitter);
    });
  });
})();
