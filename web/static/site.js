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
  // Live sections of the console (presence, turnout): fetch the page again every few seconds and
  // swap in the section with the same id. Without JavaScript, reloading the page does the same.
  document.querySelectorAll("[data-refresh][id]").forEach(function (el) {
    var every = parseInt(el.getAttribute("data-refresh"), 10) * 1000;
    if (!(every > 0) || !window.fetch || !window.DOMParser) { return; }
    setInterval(function () {
      if (document.hidden) { return; }
      fetch(location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(el.id);
          if (fresh) { el.innerHTML = fresh.innerHTML; }
        })
        .catch(function () { /* offline for a moment: try again next time */ });
    }, every);
  });
  // The check-in desk: where the browser can read QR codes from the camera (BarcodeDetector), a
  // button scans a badge into the code field and sends the form. Typing always works.
  document.querySelectorAll("form[data-scan]").forEach(function (f) {
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var input = f.querySelector("input[name=code]");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "secondary";
    btn.textContent = f.getAttribute("data-scan");
    f.appendChild(btn);
    btn.addEventListener("click", function () {
      var video = document.createElement("video");
      video.setAttribute("playsinline", "");
      video.className = "scanner";
      f.appendChild(video);
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.play();
        var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.remove(); };
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) { input.value = codes[0].rawValue; stop(); f.submit(); return; }
            requestAnimationFrame(look);
          }).catch(function () { requestAnimationFrame(look); });
        };
        look();
      }).catch(function () { video.remove(); });
    });
  });
})();
