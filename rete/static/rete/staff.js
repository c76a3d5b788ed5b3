// Idle warning: a few minutes before the session ends, offer "Stay signed in". When it has
// ended, say so, but leave the page (and any half-filled form) untouched: the next save is
// kept and offered again after signing in.
(function () {
  "use strict";
  var dialog = document.getElementById("idle-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var idle = parseInt(dialog.dataset.idleSeconds, 10) * 1000;
  var warning = parseInt(dialog.dataset.warningSeconds, 10) * 1000;
  var warnTimer, endTimer, lastFocus;

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, Math.max(idle - warning, 0));
    endTimer = setTimeout(ended, idle);
  }
  function open() {
    if (!dialog.open) { lastFocus = document.activeElement; dialog.showModal(); }
  }
  function close() {
    if (dialog.open) dialog.close();
    if (lastFocus && lastFocus.focus) lastFocus.focus();
  }
  function warn() {
    dialog.querySelector(".idle-warning").hidden = false;
    dialog.querySelector(".idle-ended").hidden = true;
    dialog.querySelector(".idle-stay").hidden = false;
    open();
    dialog.querySelector(".idle-stay").focus();
  }
  function ended() {
    dialog.querySelector(".idle-warning").hidden = true;
    dialog.querySelector(".idle-ended").hidden = false;
    dialog.querySelector(".idle-stay").hidden = true;
    open();
    dialog.querySelector(".idle-close").focus();
  }
  dialog.querySelector(".idle-stay").addEventListener("click", function () {
    fetch(dialog.dataset.keepaliveUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "X-CSRFToken": dialog.dataset.csrf, "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.ok) { close(); schedule(); } else { ended(); }
    }, ended);
  });
  dialog.querySelector(".idle-close").addEventListener("click", close);
  // Every request the page makes slides the session on the server, so restart the clock too.
  document.body.addEventListener("htmx:afterRequest", schedule);
  schedule();

  // After an htmx swap, move focus to the new content's heading for screen-reader users.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var heading = event.detail.target.querySelector("h1, h2, [tabindex='-1']");
    if (heading) { if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1"); heading.focus(); }
  });
  document.body.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = dialog.dataset.csrf;
  });
})();

// Drafts of long forms: a form with data-autosave-url is saved on the server a moment after
// each change, so a timeout or a closed tab loses nothing. The status is announced politely.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosave-url]").forEach(function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer;
    function save() {
      var data = new FormData(form);
      fetch(form.dataset.autosaveUrl, {
        method: "POST", credentials: "same-origin", body: data,
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        // Only a 204 means saved: after the session ended the request lands on the sign-in page.
        var saved = response.status === 204 && !response.redirected;
        if (status) status.textContent = saved ? status.dataset.saved + " " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : status.dataset.failed;
      }, function () { if (status) status.textContent = status.dataset.failed; });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 1500); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 500); });
    form.addEventListener("submit", function () { clearTimeout(timer); });
  });
})();
