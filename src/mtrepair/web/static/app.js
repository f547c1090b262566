// mtrepair review: the CSRF header for htmx requests and the queue's keyboard shortcuts.
// Served as a file (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRF-Token"] = csrfToken();
  });
  // Forms that carry a copy of the header's reviewer name get its current value.
  document.addEventListener("submit", function (evt) {
    var box = document.getElementById("reviewer");
    if (!box) { return; }
    var copies = evt.target.querySelectorAll("input.reviewer-copy");
    for (var i = 0; i < copies.length; i++) { copies[i].value = box.value; }
  }, true);

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.queue-item:not(.decided)"));
  }
  function current() {
    return document.querySelector("tr.queue-item.selected:not(.decided)");
  }
  function select(row) {
    var old = document.querySelectorAll("tr.queue-item.selected");
    for (var i = 0; i < old.length; i++) { old[i].classList.remove("selected"); }
    if (row) { row.classList.add("selected"); row.focus({preventScroll: false}); }
  }
  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var at = all.indexOf(current());
    var next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    select(all[next]);
  }
  function press(action) {
    var row = current() || rows()[0];
    if (!row) { return; }
    if (action === "edit") {
      var input = row.querySelector("input.english");
      if (input) { input.focus(); input.select(); }
      return;
    }
    var button = row.querySelector('button[data-action="' + action + '"]');
    if (button) { select(row); button.click(); }
  }
  document.addEventListener("keydown", function (evt) {
    var t = evt.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT");
    if (typing) {
      if (evt.key === "Enter" && t.classList && t.classList.contains("english")) {
        var b = t.form && t.form.querySelector('button[data-action="edit"]');
        if (b) { evt.preventDefault(); b.click(); }
      }
      return;
    }
    if (evt.ctrlKey || evt.metaKey || evt.altKey || !document.querySelector("tr.queue-item")) { return; }
    var keys = {j: function () { move(1); }, k: function () { move(-1); },
      a: function () { press("accept"); }, r: function () { press("reject"); }, e: function () { press("edit"); }};
    if (keys[evt.key]) { evt.preventDefault(); keys[evt.key](); }
  });
  // After a decision replaces a row, the next undecided one is selected.
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.target && evt.target.classList && evt.target.classList.contains("decided")) { move(1); }
  });
})();
