// The call simulator (src/telephony/views/call-simulator.njk): the keyboard's digit, * and # keys press the keypad's
// buttons, as on a phone. Without JavaScript the buttons do the same. Keys typed into a text field are left alone.
(function () {
  var form = document.getElementById('keypad-form');
  if (!form) return;
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT')) return;
    var button = form.querySelector('button[data-key="' + (event.key === '"' ? '' : event.key) + '"]');
    if (!button || !/^[0-9*#]$/.test(event.key)) return;
    event.preventDefault();
    button.click();
  });
})();
