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

// Claim matching on the claim form: similar claims already in the database.
(function () {
  "use strict";
  var box = document.getElementById("similar-claims");
  var text = document.getElementById("text");
  if (!box || !text) { return; }
  function show(rows) {
    box.textContent = "";
    if (!rows.length) { return; }
    var heading = document.createElement("p");
    heading.textContent = "Similar claims already logged — link to the earlier fact-check instead of logging a duplicate:";
    box.appendChild(heading);
    var list = document.createElement("ul");
    rows.forEach(function (row) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = row.url;
      // Another organisation's fact-check opens its own page; ours opens the desk claim.
      link.textContent = row.external ? row.publisher + ": " + row.text : "#" + row.id + " " + row.text;
      if (row.external) { link.rel = "noopener noreferrer nofollow"; }
      item.appendChild(link);
      var what = row.match === "same" ? "same claim" : "related";
      var state = row.external ? (row.rating || "checked elsewhere") : row.status;
      item.appendChild(document.createTextNode(" (" + what + ", " + Math.round(row.score * 100) + "%, " + state + ")"));
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  text.addEventListener("change", function () {
    if (text.value.trim().length < 10) { show([]); return; }
    fetch(box.dataset.similar + "?text=" + encodeURIComponent(text.value), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(show)
      .catch(function () { show([]); });
  });
})();
