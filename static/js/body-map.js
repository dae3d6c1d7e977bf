/* Body map on the day form: tapping a region (or Enter/Space on it) adds that muscle group and side to the day's
 * twitches through BFS.dayForm (static/js/day-form.js) and moves focus to its intensity slider. Regions show
 * as pressed while the day has a twitch for them. The figure is one tab stop; arrow keys move between regions.
 * Load after day-form.js. */
(function () {
  "use strict";

  function start() {
    const map = document.querySelector("[data-body-map]");
    const api = window.BFS && window.BFS.dayForm;
    const form = document.querySelector("form[data-day-form]");
    if (!map || !api || !form) {
      return; // without the day form's script the list alone does the job
    }
    const regions = Array.from(map.querySelectorAll(".bm-region[role=button]"));

    function refresh() {
      const logged = api.twitches();
      regions.forEach((region) => {
        const on = logged.some((t) => t.group === region.dataset.group
          && (t.side === region.dataset.side || t.side === "both" || region.dataset.side === "both"));
        region.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    function choose(region) {
      const group = region.dataset.group;
      const side = region.dataset.side;
      const already = api.twitches().find((t) => t.group === group && (t.side === side || t.side === "both"));
      const row = already ? already.row : api.addTwitch(group, side);
      if (!row) {
        return;
      }
      refresh();
      const control = row.querySelector("[data-intensity]") || row.querySelector("[data-muscle-group]");
      if (control) {
        control.focus({preventScroll: true});
        row.scrollIntoView({block: "nearest", behavior: "smooth"});
      }
    }

    // One tab stop for the whole figure (roving tabindex); arrow keys move between regions, so keyboard users
    // who prefer the list below are not made to tab through fifty shapes to reach it.
    function moveTo(index) {
      const next = regions[(index + regions.length) % regions.length];
      regions.forEach((r) => r.setAttribute("tabindex", r === next ? "0" : "-1"));
      next.focus();
    }
    const STEP = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};

    regions.forEach((region, index) => {
      region.setAttribute("tabindex", index === 0 ? "0" : "-1");
      region.addEventListener("click", () => choose(region));
      region.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          choose(region);
        } else if (event.key in STEP) {
          event.preventDefault();
          moveTo(index + STEP[event.key]);
        } else if (event.key === "Home" || event.key === "End") {
          event.preventDefault();
          moveTo(event.key === "Home" ? 0 : regions.length - 1);
        }
      });
    });
    form.addEventListener("bfs:twitches-changed", refresh);
    map.hidden = false;
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
