// Light or dark: a classic script in <head>, so data-theme is on <html> before the first paint (no flash).
// The page follows the system (prefers-color-scheme) until the candidate flips the top bar's toggle; a choice
// that differs from the system's is kept in localStorage "mi.theme" ("light" or "dark"); flipping back to what
// the system says forgets it, so the page follows the system again.
(function () {
  "use strict";
  var KEY = "mi.theme";
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (e) {
      return null; // storage blocked: follow the system
    }
  }
  function system() { return media && media.matches ? "dark" : "light"; }
  function current() { return stored() || system(); }

  function label(button, theme) {
    var next = theme === "dark" ? "light" : "dark";
    button.setAttribute("aria-label", "Switch to " + next + " theme");
    button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    button.title = "Theme: " + theme + (stored() ? "" : " (as the system)") + ". Switch to " + next + ".";
    button.dataset.theme = theme;
  }

  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) label(button, theme);
  }

  function set(theme) {
    try {
      if (theme === system()) window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, theme);
    } catch (e) { /* not remembered; still applied */ }
    apply(theme);
  }

  apply(current());
  if (media) {
    var follow = function () { apply(current()); };
    if (media.addEventListener) media.addEventListener("change", follow);
    else if (media.addListener) media.addListener(follow);
  }
  window.addEventListener("storage", function (event) { if (event.key === KEY) apply(current()); });

  function wire() {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    label(button, current());
    button.addEventListener("click", function () { set(current() === "dark" ? "light" : "dark"); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();

  window.MITheme = { get: current, set: set };
})();
