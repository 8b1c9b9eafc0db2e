// The Translate view's keyboard: Alt+↓ / Alt+↑ (and the "Next untranslated" link) move to
// the next / previous segment still to do (missing and still empty, stale or an unreviewed
// suggestion not yet edited or ticked); Ctrl+S or ⌘S saves the draft with the Save button.
(function () {
  "use strict";
  var form = document.querySelector("[data-translate-form]");
  if (!form) {
    return;
  }
  var save = form.querySelector("[data-translate-save]");
  var next = document.querySelector("[data-translate-next]");
  var announce = document.querySelector("[data-translate-announce]");
  var current = null; // the row of the textarea focused last

  function toDo(row) {
    var status = row.getAttribute("data-status");
    var box = row.querySelector("textarea");
    if (status === "missing") {
      return !box.value.trim();
    }
    var ticked = row.querySelector("input[type=checkbox]:checked");
    return (status === "stale" || status === "machine") && !ticked && box.value === box.defaultValue;
  }

  function move(step) {
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr[data-status]"));
    var start = rows.indexOf(current);
    if (start < 0) {
      start = step > 0 ? -1 : rows.length;
    }
    for (var i = 1; i <= rows.length; i++) {
      var row = rows[(((start + step * i) % rows.length) + rows.length) % rows.length];
      if (toDo(row)) {
        var box = row.querySelector("textarea");
        box.focus();
        box.scrollIntoView({ block: "center" });
        announce.textContent = "";
        return;
      }
    }
    announce.textContent = announce.getAttribute("data-none");
  }

  form.addEventListener("focusin", function (event) {
    if (event.target.tagName === "TEXTAREA") {
      current = event.target.closest("tr");
    }
  });
  if (next) {
    next.addEventListener("click", function (event) {
      event.preventDefault();
      move(1);
    });
  }
  document.addEventListener("keydown", function (event) {
    var arrow = event.key === "ArrowDown" || event.key === "ArrowUp";
    if (event.altKey && !event.ctrlKey && !event.metaKey && arrow) {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit(save);
    }
  });
})();
