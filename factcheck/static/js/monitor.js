// Keyboard triage on the monitor: j/k move, a accept, s same as the flagged fact-check,
// d discard, o open the article. Every action is an ordinary form; this only adds keys.
(function () {
  "use strict";
  var list = document.querySelector("[data-triage]");
  if (!list) { return; }
  var rows = Array.prototype.slice.call(list.querySelectorAll("li.candidate"));
  if (!rows.length) { return; }
  var current = 0;
  function select(i) {
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, n) { r.classList.toggle("selected", n === current); });
    rows[current].focus();
  }
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) { return; }
    var row = rows[current];
    if (e.key === "j") { select(current + 1); }
    else if (e.key === "k") { select(current - 1); }
    else if (e.key === "o") { var a = row.querySelector("[data-open]"); if (a) { window.location = a.href; } }
    else if (e.key === "a" || e.key === "s" || e.key === "d") {
      var b = row.querySelector('button[data-key="' + e.key + '"]');
      if (b) { b.click(); }
    } else { return; }
    e.preventDefault();
  });
  select(0);
})();
