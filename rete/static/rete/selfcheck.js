// Self-check: the answers are read and the result is shown in the page only. Nothing is sent,
// stored (no cookies, no localStorage or sessionStorage) or put in the URL. Without JavaScript
// the page shows a static explanation of the answers instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-self-check]");
  var region = document.getElementById("self-check-result");
  if (!form || !region) return;
  var levels = region.querySelectorAll("[data-level]");
  var notice = region.querySelector("[data-result-notice]");
  Array.prototype.forEach.call(form.querySelectorAll("[data-needs-script]"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll("[data-without-script]"), function (el) { el.hidden = true; });

  function clear() {
    Array.prototype.forEach.call(levels, function (el) { el.hidden = true; });
    if (notice) notice.hidden = true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var ticked = form.querySelectorAll("input[type=checkbox]:checked");
    var level = "none";
    Array.prototype.forEach.call(ticked, function (input) {
      if (input.hasAttribute("data-danger")) level = "danger";
      else if (level === "none") level = "abuse";
    });
    clear();
    var shown = region.querySelector('[data-level="' + level + '"]');
    shown.hidden = false;
    if (notice) notice.hidden = false;
    var heading = shown.querySelector("h2");
    if (heading) heading.focus();
  });

  form.addEventListener("reset", function () {
    clear();
  });
})();
