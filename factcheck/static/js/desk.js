// Desk enhancements. Everything works without this file; it only adds type-ahead.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  var list = document.getElementById("speaker-options");
  if (!input || !list) { return; }
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { return; }
    timer = setTimeout(function () {
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (rows) {
          list.textContent = "";
          rows.forEach(function (s) {
            var opt = document.createElement("option");
            opt.value = s.name;
            if (s.title) { opt.label = s.name + " — " + s.title; }
            list.appendChild(opt);
          });
        })
        .catch(function () { /* type-ahead is a convenience; the form still works */ });
    }, 150);
  });
})();
