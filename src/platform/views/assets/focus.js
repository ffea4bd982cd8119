// Progressive enhancement, as GOV.UK Frontend's error summary does: after a form is sent, move focus to what
// happened, so a screen reader reads it and a keyboard user starts there. Without JavaScript the page still says it:
// the <title> names the outcome and the error summary is role="alert".
(function () {
  var target = document.querySelector('.sb-error-summary') || document.querySelector('[data-sb-focus]');
  if (target) {
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
  }
  // A link in the error summary puts focus on its field and scrolls the field's label (or legend) into view.
  document.querySelectorAll('.sb-error-summary a[href^="#"]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var input = document.getElementById(link.getAttribute('href').slice(1));
      if (!input) return;
      event.preventDefault();
      var fieldset = input.closest('fieldset');
      var legend = fieldset && fieldset.querySelector('legend');
      var label = document.querySelector('label[for="' + input.id + '"]');
      // A field in a table cell (the visa bulletin's charts) has only a hidden label: centre the field itself, so
      // its row and column stay in sight around it.
      if (input.closest('td')) input.scrollIntoView({ block: 'center' });
      else (legend || label || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });
})();
