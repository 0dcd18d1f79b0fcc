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
