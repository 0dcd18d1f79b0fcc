// Portcullis dashboard: small progressive enhancements. Every page works without this script except
// the live parts (run timeline, approval queue), which use Server-Sent Events.
(function () {
  "use strict";

  function token() {
    var meta = document.querySelector('meta[name="request-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // JSON POST to a dashboard endpoint with the session cookie and the antiforgery header.
  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "RequestVerificationToken": token() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, status: response.status, body: json }; },
        function () { return { ok: false, status: response.status, body: { detail: "the server answered " + response.status } }; });
    });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Timeline order: (sort sequence, system after agent, id), the same key the server sorts by.
  function key(li) {
    return [Number(li.dataset.sort), Number(li.dataset.sys), Number(li.dataset.id)];
  }

  function before(a, b) {
    for (var i = 0; i < 3; i++) {
      if (a[i] !== b[i]) { return a[i] < b[i]; }
    }
    return false;
  }

  function insertEntry(list, li) {
    if (list.querySelector('li[data-id="' + li.dataset.id + '"]')) { return; }
    var k = key(li);
    var next = Array.prototype.find.call(list.children, function (other) { return before(k, key(other)); });
    li.classList.add("fresh");
    list.insertBefore(li, next || null);
  }

  function liveTimeline() {
    var list = document.getElementById("timeline");
    if (!list || !list.dataset.live) { return; }
    var source = new EventSource(list.dataset.live);
    source.addEventListener("entry", function (e) { insertEntry(list, fragment(e.data)); });
    source.addEventListener("status", function (e) {
      var s = JSON.parse(e.data), badge = document.getElementById("run-status");
      if (badge) { badge.textContent = s.label; badge.className = s.css; }
    });
    source.addEventListener("end", function () {
      source.close();
      var live = document.getElementById("live-indicator");
      if (live) { live.hidden = true; }
    });
  }

  function liveQueue() {
    var body = document.getElementById("approval-queue");
    if (!body || !body.dataset.live) { return; }
    var source = new EventSource(body.dataset.live);
    source.addEventListener("queue", function (e) { body.innerHTML = e.data; });
    source.addEventListener("count", function (e) {
      var count = document.getElementById("pending-count");
      if (count) { count.textContent = e.data; count.classList.toggle("zero", e.data === "0"); }
    });
  }

  // A workflow run's steps: asked for again every second while the run is open, then left as they ended.
  function liveWorkflowRun() {
    var body = document.getElementById("workflow-run-steps");
    if (!body || !body.dataset.poll) { return; }
    var poll = function () {
      fetch(body.dataset.poll, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (run) {
        if (!run) { setTimeout(poll, 3000); return; }
        body.innerHTML = run.html;
        var badge = document.getElementById("workflow-run-status"), error = document.getElementById("workflow-run-error");
        if (badge) { badge.textContent = run.label; badge.className = run.css; }
        if (error && run.error) { error.hidden = false; error.textContent = run.error.code + ": " + run.error.message; }
        if (run.ended) { document.getElementById("workflow-run-ended").textContent = run.ended; }
        if (run.open) { setTimeout(poll, 1000); return; }
        ["live-indicator", "cancel-run"].forEach(function (id) { var el = document.getElementById(id); if (el) { el.hidden = true; } });
      }, function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }

  function confirmations() {
    document.addEventListener("click", function (e) {
      var button = e.target.closest("[data-confirm]");
      if (button && !window.confirm(button.dataset.confirm)) { e.preventDefault(); }
    });
  }

  // The header's workspace switcher submits on change; its Switch button is for pages without scripts.
  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.copy);
        var done = function () { button.textContent = "Copied"; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
        } else {
          input.select();
          if (document.execCommand("copy")) { done(); }
        }
      });
    });
  }

  // The toggle flips the theme shown now (the system's or the saved one) and remembers it; theme.js applies it on load.
  function themeToggle() {
    var button = document.getElementById("theme-toggle");
    if (!button) { return; }
    var root = document.documentElement;
    var dark = function () {
      var chosen = root.getAttribute("data-theme");
      return chosen ? chosen === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var label = function () { button.textContent = dark() ? "Light mode" : "Dark mode"; button.setAttribute("aria-pressed", String(dark())); };
    button.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { window.localStorage.setItem("portcullis-theme", next); } catch (e) { /* not remembered */ }
      label();
    });
    label();
  }

  function phoneMenu() {
    var button = document.getElementById("menu-button");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var open = button.closest(".sidebar").classList.toggle("open");
      button.setAttribute("aria-expanded", String(open));
    });
  }

  // Times arrive in UTC; show them in the viewer's zone, with the exact instant (and UTC) on hover.
  function localTimes(scope) {
    (scope || document).querySelectorAll("time[datetime]").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (isNaN(at.getTime()) || el.dataset.local) { return; }
      var pad = function (n) { return String(n).padStart(2, "0"); };
      el.textContent = at.getFullYear() + "-" + pad(at.getMonth() + 1) + "-" + pad(at.getDate()) + " " +
        pad(at.getHours()) + ":" + pad(at.getMinutes()) + ":" + pad(at.getSeconds());
      el.title = at.toString() + " — " + at.toISOString();
      el.dataset.local = "1";
    });
  }

  window.portcullis = { postJson: postJson, localTimes: localTimes };
  document.addEventListener("DOMContentLoaded", function () {
    liveTimeline();
    liveQueue();
    liveWorkflowRun();
    confirmations();
    copyButtons();
    autoSubmit();
    themeToggle();
    phoneMenu();
    localTimes();
    // Rows that arrive live (timeline, queue) carry times too.
    new MutationObserver(function () { localTimes(); }).observe(document.body, { childList: true, subtree: true });
  });
})();
