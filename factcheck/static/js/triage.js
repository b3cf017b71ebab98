// Triage keyboard flow for a candidate list (templates/desk/_candidate_list.html).
// Everything works without this file: buttons submit forms and links jump
// between a card and its sentence. This adds j/k/a/e/d/t and smooth jumps.
(function () {
  "use strict";
  var list = document.querySelector("[data-candidate-list]");
  if (!list) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-candidate]"));
  var current = -1;

  function beside() {
    return window.matchMedia("(min-width: 992px)").matches;
  }

  function sentenceOf(item) {
    return document.getElementById("sentence-" + item.dataset.candidate);
  }

  function select(index, scroll, toSentence) {
    if (!items.length) { return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0) {
      items[current].classList.remove("is-current");
      var old = sentenceOf(items[current]);
      if (old) { old.classList.remove("is-current"); }
    }
    current = index;
    var item = items[current];
    item.classList.add("is-current");
    var mark = sentenceOf(item);
    if (mark) {
      mark.classList.add("is-current");
      // Only when the text stands beside the list: on a phone it is below the
      // list, and scrolling to it would carry the reader away from the cards.
      if (beside() && toSentence !== false) { mark.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    }
    if (scroll !== false) {
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  function submit(item, action) {
    var form = item.querySelector("form[data-action='" + action + "']");
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }

  function typing(target) {
    return target && (/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var item = items[current];
    if (event.key === "Escape" && item) {
      var open = item.querySelector("details[open]");
      if (open) { open.open = false; item.focus(); event.preventDefault(); }
      return;
    }
    if (typing(event.target)) { return; }
    switch (event.key) {
      case "j": case "ArrowDown": select(current + 1); break;
      case "k": case "ArrowUp": select(current - 1); break;
      case "a": if (item) { submit(item, "accept"); } break;
      case "d": if (item) { submit(item, "discard"); } break;
      case "e":
        if (item) {
          var edit = item.querySelector("details[data-action='edit']");
          if (edit) { edit.open = true; var box = edit.querySelector("textarea"); if (box) { box.focus(); } }
        }
        break;
      case "t": if (item && sentenceOf(item)) { sentenceOf(item).scrollIntoView({ block: "center", behavior: "smooth" }); } break;
      default: return;
    }
    event.preventDefault();
  });

  // A click on a sentence selects its card; a click on "in the text" shows the sentence.
  document.addEventListener("click", function (event) {
    var mark = event.target.closest("[data-sentence]");
    if (mark) {
      var index = items.findIndex(function (i) { return i.dataset.candidate === mark.dataset.sentence; });
      if (index >= 0) { event.preventDefault(); select(index); history.replaceState(null, "", "#candidate-" + mark.dataset.sentence); }
      return;
    }
    var link = event.target.closest("[data-to-text]");
    if (link) {
      var card = link.closest("[data-candidate]");
      var at = items.indexOf(card);
      if (at >= 0) { event.preventDefault(); select(at, false); var s = sentenceOf(card); if (s) { s.scrollIntoView({ block: "center", behavior: "smooth" }); } }
      return;
    }
    var clicked = event.target.closest("[data-candidate]");
    if (clicked && !event.target.closest("a, button, input, textarea, summary, label")) {
      select(items.indexOf(clicked), false);
    }
  });

  var wanted = location.hash.match(/^#candidate-(\d+)$/);
  var start = wanted ? items.findIndex(function (i) { return i.dataset.candidate === wanted[1]; }) : -1;
  if (start < 0) { start = items.findIndex(function (i) { return i.classList.contains("candidate-pending"); }); }
  // On arrival without a card asked for, nothing moves: the reader starts at the top.
  if (start >= 0) { select(start, !!wanted, !!wanted); }
})();
