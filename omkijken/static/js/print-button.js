/* A "Printen" button: the page has a print stylesheet, this only opens the print dialog. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
