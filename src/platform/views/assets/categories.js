// Progressive enhancement for "Check processing times": the category list offers only the chosen form's
// categories. Without JavaScript every form's categories are listed, grouped under their form (<optgroup>),
// and the server refuses a category of another form with a message beside the field.
(function () {
  var form = document.getElementById('formType');
  var category = document.getElementById('formCategory');
  if (!form || !category) return;
  var groups = Array.prototype.slice.call(category.querySelectorAll('optgroup[data-form]'));
  function show() {
    var chosen = form.value;
    var selected = category.value;
    groups.forEach(function (group) {
      var keep = group.getAttribute('data-form') === chosen;
      if (keep && !group.parentNode) category.appendChild(group);
      if (!keep && group.parentNode) group.parentNode.removeChild(group);
    });
    // A category of another form is never left selected: it falls back to "All categories".
    if (category.value !== selected || !category.querySelector('option:checked')) category.value = '';
    // Keep the groups in the order of the form list.
    groups.forEach(function (group) { if (group.parentNode) category.appendChild(group); });
  }
  form.addEventListener('change', show);
  show();
})();
