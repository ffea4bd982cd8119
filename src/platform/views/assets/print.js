// Progressive enhancement: a "Print this page" button, shown only when JavaScript runs.
document.querySelectorAll('.sb-print-button').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
