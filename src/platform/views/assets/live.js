/*
 * The supervisor's live view (/supervisor): keeps the page's live part current from /supervisor/events.
 * `snapshot` replaces the live part with the server's HTML (the same template the page was rendered with);
 * `tick` only moves the "as of" time; `end` stops for good and says why. The live region speaks only when the
 * counts it names change. While keyboard focus is inside the live part, updates wait until focus leaves it, so
 * nothing is pulled from under the person. Without this script the page is complete and a reload updates it.
 */
(function () {
  'use strict';
  var root = document.getElementById('sb-live');
  var status = document.getElementById('sb-live-status');
  var announcer = document.getElementById('sb-live-announce');
  if (!root || !status || !announcer || typeof window.EventSource !== 'function') return;

  var key = root.getAttribute('data-key');
  var held = null;
  var ended = false;

  function say(text) {
    status.textContent = text;
  }
  function focusInside() {
    return document.activeElement && document.activeElement !== document.body && root.contains(document.activeElement);
  }
  function asOf(text) {
    var p = root.querySelector('[data-as-of]');
    if (p) p.textContent = text;
  }
  function apply(data) {
    root.innerHTML = data.html;
    held = null;
    say(status.getAttribute('data-live-text'));
    if (data.summary && data.summary.key !== key) {
      key = data.summary.key;
      announcer.textContent = data.summary.text;
    }
  }

  var source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('open', function () {
    if (!ended) say(held ? status.getAttribute('data-held-text') : status.getAttribute('data-live-text'));
  });
  source.addEventListener('snapshot', function (e) {
    var data = JSON.parse(e.data);
    if (focusInside()) {
      held = data;
      say(status.getAttribute('data-held-text'));
      return;
    }
    apply(data);
  });
  source.addEventListener('tick', function (e) {
    if (!held) asOf(JSON.parse(e.data).asOf);
  });
  source.addEventListener('end', function (e) {
    ended = true;
    source.close();
    say(JSON.parse(e.data).text);
    announcer.textContent = JSON.parse(e.data).text;
  });
  source.addEventListener('error', function () {
    if (ended) return;
    if (source.readyState === EventSource.CLOSED) {
      ended = true;
      say(status.getAttribute('data-stopped-text'));
    } else {
      say(status.getAttribute('data-reconnecting-text'));
    }
  });
  root.addEventListener('focusout', function (e) {
    if (held && !(e.relatedTarget && root.contains(e.relatedTarget))) apply(held);
  });
  root.setAttribute('data-live', 'on');
})();
