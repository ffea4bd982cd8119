// The "session ending" warning (staff/views/session-warning.njk). Staff sessions end after 30 minutes without a
// request and 12 hours after sign-in (src/staff/policy.ts). The server gives the countdown; this script shows the
// dialog when the warning is due and sends the browser to the sign-in page once the session has ended.
// It checks GET /staff/session/status (a read that never extends the session) before it warns and before it
// leaves, so activity in another tab counts and these checks never keep an idle session alive. Only "Stay signed
// in" (POST /staff/session/keep-alive, with the page's CSRF token) extends it.
(function () {
  var dialog = document.getElementById('sb-session-warning');
  if (!dialog || typeof dialog.showModal !== 'function') return;
  var statusUrl = dialog.getAttribute('data-status-url');
  var signInUrl = dialog.getAttribute('data-sign-in-url');
  var form = dialog.querySelector('[data-sb-keep-alive]');
  var stay = dialog.querySelector('[data-sb-stay]');
  var signOut = dialog.querySelector('[data-sb-sign-out]');
  var timer = null;
  var endsAt = 0;
  var before = null;
  var MIN_WAIT = 1000;

  function setFinal(final) {
    dialog.querySelectorAll('[data-sb-session-idle]').forEach(function (el) { el.hidden = final; });
    dialog.querySelectorAll('[data-sb-session-final]').forEach(function (el) { el.hidden = !final; });
  }

  function show(final) {
    setFinal(final);
    if (dialog.open) return;
    before = document.activeElement;
    dialog.showModal();
    (final ? signOut : stay).focus();
  }

  function hide() {
    if (!dialog.open) return;
    dialog.close();
    if (before && typeof before.focus === 'function' && document.contains(before)) before.focus();
    before = null;
  }

  function leave(reason) {
    var next = location.pathname + location.search;
    location.assign(signInUrl + '?ended=' + encodeURIComponent(reason || 'idle') + '&next=' + encodeURIComponent(next));
  }

  function wait(ms, then) {
    clearTimeout(timer);
    timer = setTimeout(then, Math.max(ms, MIN_WAIT));
  }

  // One state from the server: {live, endsInMs, warnInMs, final} or {live: false, reason}.
  function apply(s) {
    if (!s || !s.live) return leave(s && s.reason);
    endsAt = Date.now() + s.endsInMs;
    if (s.warnInMs > 0) {
      hide();
      wait(s.warnInMs, check);
    } else {
      show(s.final);
      wait(s.endsInMs, check);
    }
  }

  function check() {
    fetch(statusUrl, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(apply)
      .catch(function () {
        // The server did not answer: leave once the end has passed, else try again shortly.
        if (Date.now() >= endsAt) leave('idle');
        else wait(30000, check);
      });
  }

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      stay.disabled = true;
      fetch(form.action, {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(form)).toString(),
      })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (s) { stay.disabled = false; apply(s); })
        .catch(function () { stay.disabled = false; form.submit(); }); // the plain form post: back here, or to sign-in
    });
  }
  // Escape closes the dialog (the browser puts focus back); the session still ends on time unless
  // "Stay signed in" is pressed, and the script still leaves for the sign-in page then.

  apply({
    live: true,
    endsInMs: Number(dialog.getAttribute('data-ends-in')),
    warnInMs: Number(dialog.getAttribute('data-warn-in')),
    final: dialog.getAttribute('data-final') === 'true',
  });
})();
