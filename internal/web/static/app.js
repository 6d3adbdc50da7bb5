// Fenghuo console behaviour. Loaded as a file (the CSP forbids inline
// script); every feature also works without it.
(function () {
  'use strict';
  // Confirm dangerous actions: <form data-confirm="…">.
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) { e.preventDefault(); }
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
  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll('[data-due]').forEach(function (el) {
      var due = Date.parse(el.getAttribute('data-due'));
      if (isNaN(due)) { return; }
      var s = Math.round((due - now) / 1000), neg = s < 0;
      s = Math.abs(s);
      var txt = (neg ? '-' : '') + Math.floor(s / 3600) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
      el.textContent = txt;
      el.classList.toggle('overdue', neg);
    });
  }
  if (document.querySelector('[data-due]')) { tick(); setInterval(tick, 1000); }
})();
