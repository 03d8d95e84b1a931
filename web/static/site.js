// Progressive enhancement only: every form works without this file.
(function () {
  "use strict";
  // Landing pages of mailed links: press the button for the visitor. Mail scanners that fetch
  // links without running scripts never redeem the one-time token.
  document.querySelectorAll("form[data-autosubmit]").forEach(function (f) {
    var key = "zw-autosubmitted:" + location.search;
    var done = false;
    try {
      done = sessionStorage.getItem(key) === "1";
      sessionStorage.setItem(key, "1");
    } catch (e) { /* storage disabled: submit once per page load */ }
    if (!done) { f.submit(); }
  });
  // Forms that apply a choice at once (the agenda's time zone). A form sends itself once: a click
  // on its button right after the change does not send it a second time.
  document.querySelectorAll("form[data-autosubmit-change]").forEach(function (f) {
    var sent = false;
    f.addEventListener("change", function () {
      if (!sent) { sent = true; f.submit(); }
    });
    f.addEventListener("submit", function (e) {
      if (sent) { e.preventDefault(); } else { sent = true; }
    });
  });
  // The registration form: show the "propose an organisation" fields only when chosen.
  document.querySelectorAll("select[data-toggle]").forEach(function (sel) {
    var box = document.getElementById(sel.getAttribute("data-toggle"));
    if (!box) { return; }
    var update = function () { box.hidden = sel.value !== "new"; };
    sel.addEventListener("change", update);
    update();
  });
})();
