// Pushed updates (issue 13 item 3, docs/live.md). Listens to GET /events
// (server-sent events) and, on each change the session may see:
//  - sets the navigation's inbox badge from the event's counts;
//  - re-reads the current page (header X-Fenghuo-Live: 1) and replaces
//    every live region, an element with data-live and an id, by the
//    element with the same id in the fresh page — except a region holding
//    the focused element or a form with unsaved input (it is re-read once
//    the focus leaves);
//  - for a new initial report (初报) to this office: a toast, a short tone
//    (WebAudio; silent where autoplay is blocked) and a desktop
//    notification when the user allowed them;
//  - moves the countdowns' server-clock offset to the event's time.
// Loaded as a file (the CSP forbids inline script); pages work without it.
(function () {
  'use strict';
  var badge = document.getElementById('nav-inbox-count');
  var toasts = document.getElementById('live-toasts');
  var clock = window.fenghuoClock || { sync: function () {}, refresh: function () {} };

  function setCount(n) {
    if (!badge || typeof n !== 'number') { return; }
    var text = n > 99 ? '99+' : String(n);
    if (badge.textContent !== text || badge.hidden !== (n === 0)) {
      badge.textContent = text;
      badge.hidden = n === 0;
      badge.classList.remove('bump');
      void badge.offsetWidth; // restart the animation
      badge.classList.add('bump');
    }
    badge.setAttribute('data-count', String(n));
  }

  // A form "being edited": a field whose value differs from the page's.
  function dirty(form) {
    var els = form.elements;
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === 'checkbox' || el.type === 'radio') {
        if (el.checked !== el.defaultChecked) { return true; }
      } else if (el.tagName === 'SELECT') {
        // Without a selected attribute a single select starts on its
        // first option (or none when it has no option).
        var first = -1;
        for (var j = 0; j < el.options.length; j++) {
          if (el.options[j].defaultSelected && first < 0) { first = j; }
          if (el.multiple && el.options[j].selected !== el.options[j].defaultSelected) { return true; }
        }
        if (!el.multiple && el.options.length && el.selectedIndex !== (first < 0 ? 0 : first)) { return true; }
      } else if (el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button' && 'defaultValue' in el) {
        if (el.value !== el.defaultValue) { return true; }
      }
    }
    return false;
  }
  function busyRegion(el) {
    var a = document.activeElement;
    if (a && a !== document.body && el.contains(a)) { return true; }
    var forms = el.tagName === 'FORM' ? [el] : el.querySelectorAll('form');
    for (var i = 0; i < forms.length; i++) { if (dirty(forms[i])) { return true; } }
    return false;
  }

  var fetching = false, again = false, held = false;
  function reread() {
    if (!document.querySelector('[data-live][id]')) { return; }
    if (fetching) { again = true; return; }
    fetching = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Fenghuo-Live': '1', 'Accept': 'text/html' } })
      .then(function (r) { return r.ok && !r.redirected ? r.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var doc = new DOMParser().parseFromString(html, 'text/html');
        held = false;
        document.querySelectorAll('[data-live][id]').forEach(function (cur) {
          var fresh = doc.getElementById(cur.id);
          if (!fresh || !fresh.hasAttribute('data-live')) { return; }
          if (busyRegion(cur)) { held = true; return; }
          if (fresh.innerHTML === cur.innerHTML) { return; }
          var node = document.importNode(fresh, true);
          node.classList.add('live-updated');
          cur.replaceWith(node);
        });
        var freshBadge = doc.getElementById('nav-inbox-count');
        if (freshBadge) { setCount(parseInt(freshBadge.textContent, 10) || 0); }
        clock.refresh();
        document.dispatchEvent(new CustomEvent('fenghuo:live-updated'));
      })
      .catch(function () {})
      .then(function () {
        fetching = false;
        if (again) { again = false; reread(); }
      });
  }
  // A region held back for the user is re-read once the focus leaves it,
  // and every few seconds while it stays held.
  document.addEventListener('focusout', function () {
    if (held) { setTimeout(function () { if (held) { reread(); } }, 300); }
  });
  setInterval(function () { if (held && !document.hidden) { reread(); } }, 5000);

  // A short two-note tone. Browsers may keep audio suspended until the user
  // has interacted with the page: then nothing is heard and nothing fails.
  var audio = null;
  function chime() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) { return; }
      audio = audio || new Ctx();
      if (audio.state === 'suspended') { audio.resume().catch(function () {}); }
      var t = audio.currentTime;
      [880, 1318.5].forEach(function (f, i) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.type = 'sine'; o.frequency.value = f;
        g.gain.setValueAtTime(0.0001, t + i * 0.18);
        g.gain.exponentialRampToValueAtTime(0.25, t + i * 0.18 + 0.02);
        g.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.18 + 0.3);
        o.connect(g); g.connect(audio.destination);
        o.start(t + i * 0.18); o.stop(t + i * 0.18 + 0.32);
      });
    } catch (e) { /* no sound, no harm */ }
  }

  function toast(msg) {
    if (!toasts) { return; }
    var box = document.createElement('div');
    box.className = 'live-toast' + (msg.initial ? ' initial' : '');
    box.setAttribute('role', msg.initial ? 'alert' : 'status');
    var text = document.createElement('div');
    text.className = 'text';
    text.textContent = msg.text || '';
    box.appendChild(text);
    if (msg.link && msg.link.charAt(0) === '/' && msg.link.charAt(1) !== '/') {
      var a = document.createElement('a');
      a.href = msg.link;
      a.textContent = toasts.getAttribute('data-open') || 'Open';
      box.appendChild(a);
    }
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = toasts.getAttribute('data-close') || '×';
    close.addEventListener('click', function () { box.remove(); });
    box.appendChild(close);
    toasts.appendChild(box);
    while (toasts.children.length > 4) { toasts.removeChild(toasts.firstChild); }
    if (!msg.initial) { setTimeout(function () { box.remove(); }, 8000); }
  }

  function desktop(msg) {
    if (!('Notification' in window) || Notification.permission !== 'granted') { return; }
    try {
      var n = new Notification(document.title.split(' · ').pop() || 'Fenghuo', { body: msg.text || '', tag: 'fenghuo-' + (msg.link || 'report') });
      if (msg.link) {
        n.onclick = function () { window.focus(); window.location.href = msg.link; };
      }
    } catch (e) { /* some browsers allow notifications only from a service worker */ }
  }

  // The desktop notification switch (inbox page).
  var box = document.getElementById('live-notify');
  if (box) {
    var state = document.getElementById('live-notify-state');
    var btn = document.getElementById('live-notify-enable');
    var show = function () {
      if (!('Notification' in window)) { state.textContent = box.getAttribute('data-unsupported'); btn.hidden = true; return; }
      if (Notification.permission === 'granted') { state.textContent = box.getAttribute('data-on'); btn.hidden = true; }
      else if (Notification.permission === 'denied') { state.textContent = box.getAttribute('data-denied'); btn.hidden = true; }
    };
    box.hidden = false;
    show();
    btn.addEventListener('click', function () {
      chime(); // a click is the gesture that lets later tones play
      var p = Notification.requestPermission(show);
      if (p && p.then) { p.then(show); }
    });
  }

  if (!window.EventSource) { return; }
  var source = new EventSource('/events');
  // data-live-state on <body> says whether the stream is up (for tests and
  // for styling): open, retrying or closed.
  var state = function (s) { document.body.setAttribute('data-live-state', s); };
  source.addEventListener('error', function () { state(source.readyState === 2 ? 'closed' : 'retrying'); });
  source.addEventListener('hello', function (e) {
    state('open');
    var msg = {};
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    clock.sync(msg.now);
    if (msg.counts) { setCount(msg.counts.inbox); }
  });
  source.addEventListener('change', function (e) {
    var msg = {};
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    clock.sync(msg.now);
    if (msg.counts) { setCount(msg.counts.inbox); }
    if (msg.initial) { toast(msg); chime(); desktop(msg); }
    reread();
  });
  // Reconnected after more changes than the server replays one by one:
  // the page re-reads itself (regions being edited wait, as for a change)
  // and says so.
  source.addEventListener('missed', function (e) {
    var msg = {};
    try { msg = JSON.parse(e.data); } catch (err) { return; }
    clock.sync(msg.now);
    toast(msg);
    reread();
  });
  // The session ended (log-out, timeout): stop; the next click logs in.
  source.addEventListener('end', function () { source.close(); state('closed'); });
  window.addEventListener('pagehide', function () { source.close(); });
})();
