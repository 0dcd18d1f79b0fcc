// OAuth connect buttons: open the server's authorization start in a popup (the server answers with
// the provider's consent page, or says why it cannot), and refresh once the popup closes.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".oauth-connect").forEach(function (button) {
      button.addEventListener("click", function () {
        var url = "/dashboard/oauth/start?provider=" + encodeURIComponent(button.dataset.provider);
        if (button.dataset.agentId) { url += "&agentId=" + encodeURIComponent(button.dataset.agentId); }
        var popup = window.open(url, "portcullis-oauth", "width=520,height=700");
        var note = button.parentElement.querySelector(".oauth-result");
        if (!popup) {
          note.hidden = false;
          note.textContent = "The browser blocked the sign-in window; allow pop-ups for this site and try again.";
          return;
        }
        var timer = setInterval(function () {
          if (popup.closed) { clearInterval(timer); window.location.reload(); }
        }, 700);
      });
    });
  });
})();

// The Connect dialog of an agent's Integrations tab: a service card opens its dialog as a modal, the New and
// Existing tabs switch in place, and Verify Connection tries the typed secrets before anything is saved.
// Without this script the same links render the dialog open from the server.
(function () {
  "use strict";

  function showModal(dialog) {
    if (dialog.open) { dialog.close(); }
    dialog.showModal();
  }

  function selectPane(dialog, pane) {
    dialog.querySelectorAll("[role=tab]").forEach(function (tab) {
      var on = tab.dataset.pane === pane;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    dialog.querySelectorAll("[role=tabpanel]").forEach(function (panel) { panel.hidden = panel.dataset.pane !== pane; });
  }

  function dialogs() {
    document.querySelectorAll("[data-connect]").forEach(function (card) {
      card.addEventListener("click", function (e) {
        var dialog = document.getElementById("connect-" + card.dataset.connect);
        if (!dialog) { return; }
        e.preventDefault();
        showModal(dialog);
      });
    });
    document.querySelectorAll("dialog.connect-dialog").forEach(function (dialog) {
      dialog.querySelectorAll("[role=tab]").forEach(function (tab) {
        tab.addEventListener("click", function (e) { e.preventDefault(); selectPane(dialog, tab.dataset.pane); });
      });
      dialog.querySelector(".dialog-close").addEventListener("click", function (e) { e.preventDefault(); dialog.close(); });
      // Rendered open by the server (a link followed, or a refused Connect to fix): made modal like a clicked card.
      if (dialog.open) { showModal(dialog); }
    });
  }

  // The typed fields of a Connect form, as POST /api/credentials/verify takes them; blank fields are left out as the form's Connect does.
  function draft(form) {
    var secrets = {};
    form.querySelectorAll("input, textarea").forEach(function (field) {
      if (field.type === "hidden" || field.name === "name" || !field.name || field.value.trim() === "") { return; }
      secrets[field.name] = field.value;
    });
    return { provider: form.querySelector("input[name=provider]").value, secrets: secrets };
  }

  function show(result, ok, text) {
    result.hidden = false;
    result.className = "verify-result alert " + (ok ? "ok" : "error");
    result.textContent = text;
  }

  function verify(form, button) {
    var result = form.querySelector(".verify-result");
    form.querySelectorAll(".field-error[data-field]").forEach(function (span) { span.textContent = ""; });
    button.disabled = true;
    button.textContent = "Verifying…";
    window.portcullis.postJson("/dashboard/credentials/verify", draft(form)).then(function (r) {
      if (r.ok) {
        var b = r.body;
        show(result, b.ok, b.simulated ? b.message : (b.ok ? "Connection verified: " : "Verification failed: ") + b.message);
        return;
      }
      var errors = (r.body && r.body.errors) || {};
      Object.keys(errors).forEach(function (name) {
        var span = form.querySelector('.field-error[data-field="' + name + '"]');
        if (span) { span.textContent = errors[name].join("; "); }
      });
      show(result, false, "Not verified: " + ((r.body && r.body.detail) || "the server answered " + r.status));
    }, function () {
      show(result, false, "Not verified: the server could not be reached");
    }).finally(function () {
      button.disabled = false;
      button.textContent = "Verify Connection";
    });
  }

  function verifyButtons() {
    document.querySelectorAll("button.verify-draft").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { verify(button.closest("form"), button); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    dialogs();
    verifyButtons();
  });
})();
