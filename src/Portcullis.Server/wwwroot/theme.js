// Runs before the page paints (loaded without defer): applies the saved light/dark choice so there is no flash, and
// marks that scripts run, so the phone menu may fold the navigation.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var saved = window.localStorage.getItem("portcullis-theme");
    if (saved === "dark" || saved === "light") { root.setAttribute("data-theme", saved); }
  } catch (e) {
    // Storage refused (private mode): the system preference applies.
  }
})();
