// Forms (issue 13 item 5). The intake form asks the facts of the unit
// chosen (its plans and sector decide them), so choosing another unit
// reloads the form for it: <select data-reload-param="unit">. Without
// script the form still submits; the facts are those of the first unit.
(function () {
  'use strict';
  document.querySelectorAll('select[data-reload-param]').forEach(function (el) {
    el.addEventListener('change', function () {
      var u = new URL(window.location.href);
      u.searchParams.set(el.getAttribute('data-reload-param'), el.value);
      window.location.assign(u.toString());
    });
  });
})();
