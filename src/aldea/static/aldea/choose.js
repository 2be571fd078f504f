// A choice from a list of options (municipalities found by name) fills a hidden field and says
// what was chosen; delegated, so it works for options htmx swaps in later.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-choose]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-choose-into"));
  if (!field) return;
  field.value = button.getAttribute("data-choose");
  var chosen = document.querySelector("[data-chosen]");
  if (chosen) chosen.textContent = button.getAttribute("data-choose-label");
  var list = button.closest(".options");
  if (list) list.remove();
});
