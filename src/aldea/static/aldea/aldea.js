// Behaviour shared by every page, kept out of inline handlers so the Content-Security-Policy
// can refuse inline script. A select marked data-submit-on-change submits its form (the
// language switcher).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]") && event.target.form) {
    event.target.form.submit();
  }
});
