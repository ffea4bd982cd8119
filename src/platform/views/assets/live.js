/*
 * A page's live part kept current from its server-sent events (src/platform/http/live-stream.ts), driven only by
 * data attributes, so every live page (the supervisor's view, the Tier 2 callback queue) uses this one script:
 *   <div id="…" data-events="<stream URL>" data-key="<summary key>" data-live-status="<status line id>"
 *        data-live-announce="<polite live region id>">…the live part…</div>
 * The status line carries its words in data-live-text, data-held-text, data-reconnecting-text, data-stopped-text.
 * `snapshot` replaces the live part with the server's HTML (the same template the page was rendered with);
 * `tick` only moves the "as of" time; `end` stops for good and says why. The live region speaks only when the
 * counts it names change. While keyboard focus is inside the live part, updates wait until focus leaves it, so
 * nothing is pulled from under the person. Without this script the page is complete and a reload updates it.
 */
(function () {
  'use strict';
  if (typeof window.EventSource !== 'function') return;
  var roots = document.querySelectorAll('[data-events][data-live-status][data-live-announce]');
  for (var i = 0; i < roots.length; i++) live(roots[i]);

  function live(root) {
    var status = document.getElementById(root.getAttribute('data-live-status'));
    var announcer = document.getElementById(root.getAttribute('data-live-announce'));
    if (!status || !announcer) return;

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
  }
})();
