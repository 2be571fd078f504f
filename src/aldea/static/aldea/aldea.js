// Behaviour shared by every page, kept out of inline handlers so the Content-Security-Policy
// can refuse inline script. A select marked data-submit-on-change submits its form (the
// language switcher).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]") && event.target.form) {
    event.target.form.submit();
  }
});

// A table wider than the screen scrolls inside its .table-wrap; a keyboard reaches it only if
// the wrapper takes focus (axe: scrollable-region-focusable). Checked again after htmx swaps.
(function () {
  function focusScrollingTables(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.tabIndex = 0;
      } else {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusScrollingTables(document); });
  window.addEventListener("resize", function () { focusScrollingTables(document); });
  document.addEventListener("htmx:load", function (event) { focusScrollingTables(event.detail.elt.parentNode || document); });
})();
