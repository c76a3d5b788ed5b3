// Quick exit: blank the page at once, replace this page in history so Back does not show it,
// then leave through the same-site /exit/ URL that ends any session. Without JavaScript the
// button is a plain link to /exit/.
(function () {
  "use strict";
  var button = document.getElementById("quick-exit");
  if (!button) return;
  function leave(event) {
    if (event) event.preventDefault();
    document.documentElement.className += " exiting";
    document.title = "";
    try { window.history.replaceState(null, "", "/"); } catch (e) { /* ignore */ }
    window.location.replace(button.getAttribute("href"));
  }
  button.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 1500; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  // A page restored from the back-forward cache must not show its content again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.documentElement.className.indexOf("exiting") !== -1) {
      window.location.replace(button.getAttribute("href"));
    }
  });
})();
