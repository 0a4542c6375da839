/* The guided editor: autosave of the draft to the server (every 30 s while typing, and when the
   page is hidden), and a size check before anything is sent so that an oversize draft is never
   posted and lost. Same-origin POSTs with the CSRF token of the form; nothing is kept in
   localStorage or any other browser storage. The page works without this file. */
(function () {
  "use strict";
  var form = document.getElementById("editor-form");
  if (!form) { return; }
  var status = document.getElementById("autosave-status");
  var dirty = false;
  var saving = false;

  function say(text) { if (status) { status.textContent = text; } }

  function body(intent) {
    var data = new FormData(form);
    data.set("intent", intent);
    data.delete("editor_add");
    data.delete("editor_remove");
    return new URLSearchParams(data);
  }

  function tooLarge(params) {
    var limit = parseInt(form.getAttribute("data-limit"), 10) || 2097152;
    return new Blob([params.toString()]).size > limit;
  }

  function autosave() {
    if (!dirty || saving || form.getAttribute("data-autosave") !== "on") { return; }
    var params = body("autosave");
    if (tooLarge(params)) { say(form.getAttribute("data-too-large")); return; }
    saving = true;
    dirty = false;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value },
      body: params
    }).then(function (response) {
      return response.json().then(function (answer) { return { ok: response.ok, answer: answer }; });
    }).then(function (result) {
      if (result.ok) {
        say(form.getAttribute("data-saved") + " " + result.answer.saved_at);
        if (result.answer.edit_url && form.action.indexOf(result.answer.edit_url) === -1) {
          form.action = result.answer.edit_url;  /* the new draft exists now: save into it */
          window.history.replaceState(null, "", result.answer.edit_url);
        }
      } else {
        dirty = true;
        say(form.getAttribute("data-save-failed") + " " + (result.answer.message || ""));
      }
    }).catch(function () {
      dirty = true;
      say(form.getAttribute("data-save-failed"));
    }).finally(function () { saving = false; });
  }

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  window.setInterval(autosave, 30000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosave(); }
  });

  /* Before a normal submission: refuse to send more than the server accepts, keep the page. */
  form.addEventListener("submit", function (event) {
    if (tooLarge(body("save"))) {
      event.preventDefault();
      say(form.getAttribute("data-too-large"));
      var summary = document.createElement("div");
      summary.className = "error-summary";
      summary.setAttribute("role", "alert");
      summary.textContent = form.getAttribute("data-too-large");
      form.insertBefore(summary, form.firstChild);
      summary.scrollIntoView();
    }
  });
})();
