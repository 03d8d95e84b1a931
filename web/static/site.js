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
  // The projector page (/c/{slug}/live): follow the live stream and count the speaker's time
  // down. Without this script the page reloads itself every few seconds.
  var live = document.getElementById("live");
  if (live && window.EventSource) {
    var t = function (k) { return live.getAttribute("data-" + k) || ""; };
    var set = function (id, text) { var e = document.getElementById(id); if (e) { e.textContent = text; } };
    var clock = document.getElementById("live-clock");
    var ends = clock && clock.getAttribute("data-ends") ? Date.parse(clock.getAttribute("data-ends")) : null;
    var label = function (s) {
      var out = s.anonymous ? t("anon") : s.display_name;
      if (s.organisation) { out += " · " + s.organisation.name; }
      if (s.point_of_order) { out += " · " + t("poo"); }
      return out;
    };
    var tick = function () {
      if (!clock) { return; }
      if (ends === null) { clock.textContent = ""; return; }
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    };
    var render = function (v) {
      set("live-session", v.session ? v.session.title : "");
      set("live-item", v.item ? v.item.title : t("nothing"));
      set("live-speaker", v.current_speaker ? label(v.current_speaker) : t("nobody"));
      ends = v.current_speaker && v.current_speaker.ends_at ? Date.parse(v.current_speaker.ends_at) : null;
      var q = document.getElementById("live-queue");
      if (q) {
        q.textContent = "";
        (v.queue || []).forEach(function (s) {
          var li = document.createElement("li");
          li.textContent = label(s) + (s.remote ? " · " + t("remote") : "");
          q.appendChild(li);
        });
      }
      var b = document.getElementById("live-ballot");
      if (b) {
        b.hidden = !v.ballot;
        if (v.ballot) {
          set("live-ballot-status", v.ballot.status === "open" ? t("open") : (v.ballot.result === "adopted" ? t("adopted") : t("not-adopted")));
          var counts = v.ballot.yes !== undefined ? " — " + v.ballot.yes + " / " + v.ballot.no + " / " + v.ballot.abstain : "";
          set("live-ballot-counts", v.ballot.votes_cast + counts);
        }
      }
      live.setAttribute("data-version", String(v.version));
      tick();
    };
    var es = new EventSource(t("stream"));
    es.addEventListener("live", function (e) { render(JSON.parse(e.data)); });
    setInterval(tick, 250);
  }
})();
