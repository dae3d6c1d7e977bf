/* Arrow keys in the month calendar (table[data-calendar]): left/right move one day, up/down one week,
   Home/End to the start/end of the week. Every day link stays in the Tab order; this only adds shortcuts.
   Links carry data-date="YYYY-MM-DD"; days without a link (the future) are skipped over, never focused. */
(function () {
  "use strict";
  var STEPS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function shift(iso, days) {
    var parts = iso.split("-").map(Number);
    var date = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2] + days));
    return date.toISOString().slice(0, 10);
  }

  function init() {
    var table = document.querySelector("[data-calendar]");
    if (!table) { return; }
    table.addEventListener("keydown", function (event) {
      var link = event.target.closest && event.target.closest("a[data-date]");
      if (!link || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var target = null;
      if (STEPS[event.key]) {
        target = table.querySelector('a[data-date="' + shift(link.getAttribute("data-date"), STEPS[event.key]) + '"]');
      } else if (event.key === "Home" || event.key === "End") {
        var links = link.closest("tr").querySelectorAll("a[data-date]");
        target = event.key === "Home" ? links[0] : links[links.length - 1];
      }
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
