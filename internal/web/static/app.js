// Fenghuo console behaviour. Loaded as a file (the CSP forbids inline
// script); every feature also works without it.
(function () {
  'use strict';
  // Confirm dangerous actions: <form data-confirm="…">.
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
  });
  // Show a masked phone or e-mail in full: <a data-reveal href="/contacts/…">
  // fetches the audited page and puts its values in place of the link;
  // without script the link opens that page.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-reveal]');
    if (!a) { return; }
    e.preventDefault();
    fetch(a.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var out = document.createElement('span');
      out.className = 'revealed mono';
      doc.querySelectorAll('#contact-fields [data-field]').forEach(function (dd, i) {
        var dt = dd.previousElementSibling;
        out.appendChild(document.createTextNode((i ? (en ? '; ' : '；') : '') + (dt ? dt.textContent + ' ' : '') + dd.textContent));
      });
      a.replaceWith(out);
    }).catch(function () { window.location.href = a.href; });
  });
  // Auto-submit filters: <select data-autosubmit>.
  document.querySelectorAll('[data-autosubmit]').forEach(function (el) {
    el.addEventListener('change', function () { el.form.submit(); });
  });
  // Countdowns: <span data-due="2026-11-22T10:00:00Z">. Shows the time left
  // and turns red when overdue.
  function pad(n) { return n < 10 ? '0' + n : '' + n; }
  // Count from the server's clock: the page says what time it was there.
  var serverNow = Date.parse(document.body.getAttribute('data-now') || '');
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  // The same words as countdownText in incident_header.go: "h:mm:ss"
  // within a day, "29天 09:35" beyond, "已逾期 3小时11分" once overdue.
  var en = (document.documentElement.lang || '') === 'en';
  function countdown(s) {
    if (s < 0) {
      var m = Math.floor(-s / 60), d = Math.floor(m / 1440), h = Math.floor(m / 60) % 24, mi = m % 60;
      if (d > 0) { return en ? 'overdue ' + d + ' d ' + h + ' h' : '已逾期 ' + d + '天' + h + '小时'; }
      if (h > 0) { return en ? 'overdue ' + h + ' h ' + mi + ' min' : '已逾期 ' + h + '小时' + mi + '分'; }
      return en ? 'overdue ' + mi + ' min' : '已逾期 ' + mi + '分钟';
    }
    if (s >= 86400) {
      return Math.floor(s / 86400) + (en ? ' d ' : '天 ') + pad(Math.floor(s / 3600) % 24) + ':' + pad(Math.floor(s / 60) % 60);
    }
    return Math.floor(s / 3600) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
  }
  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll('[data-due]').forEach(function (el) {
      var due = Date.parse(el.getAttribute('data-due'));
      if (isNaN(due)) { return; }
      var s = Math.round((due - now) / 1000), neg = s < 0;
      el.textContent = countdown(s);
      el.classList.toggle('overdue', neg);
    });
  }
  var ticking = false;
  function startTicking() {
    if (ticking || !document.querySelector('[data-due]')) { return; }
    ticking = true; tick(); setInterval(tick, 1000);
  }
  startTicking();
  // live.js moves the offset to each event's server time, and starts the
  // clock when a re-read region brings the first countdown.
  window.fenghuoClock = {
    sync: function (serverTime) {
      var t = Date.parse(serverTime);
      if (!isNaN(t)) { skew = t - Date.now(); }
    },
    refresh: function () { if (ticking) { tick(); } else { startTicking(); } }
  };
  // Live sections: <section id="x" data-refresh="10"> is fetched again
  // every 10 s and replaced by the same section of the fresh page, so an
  // issuer sees acknowledgements arrive and an office its board fill up.
  document.querySelectorAll('section[id][data-refresh]').forEach(function (sec) {
    var every = Math.max(5, parseInt(sec.getAttribute('data-refresh'), 10) || 10) * 1000;
    setInterval(function () {
      if (document.hidden) { return; }
      // X-Fenghuo-Live: an automatic re-read is not activity (docs/live.md).
      fetch(window.location.href, { credentials: 'same-origin', headers: { 'Accept': 'text/html', 'X-Fenghuo-Live': '1' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) { return; }
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(sec.id);
          var cur = document.getElementById(sec.id);
          if (fresh && cur) { cur.replaceWith(fresh); sec = fresh; tick(); }
        })
        .catch(function () {});
    }, every);
  });
  // Plan editor: <div class="editor"> keeps the gutter's line numbers (and
  // the textarea's height) in step with the text; a problem's line link
  // selects that line.
  document.querySelectorAll('.editor textarea').forEach(function (ta) {
    var gutter = ta.parentNode.querySelector('.gutter');
    function sync() {
      var n = Math.max(20, ta.value.split('\n').length);
      if (ta.rows !== n) { ta.rows = n; }
      while (gutter.children.length < n) {
        var s = document.createElement('span');
        s.id = 'L' + (gutter.children.length + 1);
        s.textContent = String(gutter.children.length + 1);
        gutter.appendChild(s);
      }
      while (gutter.children.length > n) { gutter.removeChild(gutter.lastChild); }
    }
    ta.addEventListener('input', sync);
    sync();
    document.querySelectorAll('a[data-line]').forEach(function (a) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        var line = parseInt(a.getAttribute('data-line'), 10), lines = ta.value.split('\n'), start = 0;
        for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
        ta.focus();
        ta.setSelectionRange(start, start + (lines[line - 1] || '').length);
        var g = document.getElementById('L' + line);
        if (g) { g.scrollIntoView({ block: 'center' }); }
      });
    });
  });
})();
