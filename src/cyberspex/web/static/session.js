/* The warning before the session's idle timeout (accounts/context.py gives the figures).
   data-session-seconds is what is left of the idle timeout when the page was sent (a request
   renews it at most once a minute, accounts/renewal.py), data-session-age the whole timeout.
   "Stay signed in" asks the server to renew the session now. If the
   session ends anyway, what the user sends is kept for after the log-in (accounts/kept.py).
   No inline code: the Content-Security-Policy allows scripts from /static/ only. */
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  var idle = parseInt(box.getAttribute("data-session-seconds"), 10);
  var age = parseInt(box.getAttribute("data-session-age"), 10);
  var lead = parseInt(box.getAttribute("data-warn-seconds"), 10);
  if (!(idle >= 0) || !(lead >= 0)) { return; }
  if (!(age > 0)) { age = idle; }
  var soon = box.querySelector(".session-warning-soon");
  var ended = box.querySelector(".session-warning-ended");
  var stay = box.querySelector(".session-stay");
  var timers = [];

  function show(hasEnded) {
    soon.hidden = hasEnded;
    ended.hidden = !hasEnded;
    stay.hidden = hasEnded;
    box.hidden = false;
  }

  function schedule(left) {
    timers.forEach(window.clearTimeout);
    box.hidden = true;
    timers = [
      window.setTimeout(function () { show(false); }, Math.max(0, left - lead) * 1000),
      window.setTimeout(function () { show(true); }, left * 1000)
    ];
  }

  stay.addEventListener("click", function () {
    stay.disabled = true;
    window.fetch(box.getAttribute("data-keep-alive"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": box.getAttribute("data-csrf") }
    }).then(function (response) {
      if (response.ok) { schedule(age); } else { show(true); }
    }, function () {
      show(true);
    }).then(function () { stay.disabled = false; });
  });
  schedule(idle);
}());
