// The printable summary's « Imprimer » button: it needs JavaScript, so it is
// hidden in the page and shown here (without JavaScript, the browser's own
// Print command does the same, with the same print stylesheet).
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
