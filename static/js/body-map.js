/* Body map on the day form (templates/logbook/_body_map.html): tapping a region (or Enter/Space on it) adds that
 * muscle group and side to the day's twitches through BFS.dayForm (static/js/day-form.js) and moves focus to its
 * intensity slider (without scrolling); tapping a pressed region again removes its row. Regions show as pressed while the day has a twitch for them. "Front" and
 * "Back" switch the body view; the head-and-neck inset is always shown. The figure is one tab stop; arrow keys
 * move between the regions in view. Load after day-form.js. */
(function () {
  "use strict";

  function start() {
    const map = document.querySelector("[data-body-map]");
    const api = window.BFS && window.BFS.dayForm;
    const form = document.querySelector("form[data-day-form]");
    if (!map || !api || !form) {
      return; // without the day form's script the list alone does the job
    }
    const all = Array.from(map.querySelectorAll(".bm-region[role=button]"));
    const switches = Array.from(map.querySelectorAll("[data-bm-show]"));

    function visible() {
      return all.filter((region) => !region.closest("[data-view]").hasAttribute("hidden"));
    }

    function refresh() {
      const logged = api.twitches();
      all.forEach((region) => {
        const on = logged.some((t) => t.group === region.dataset.group
          && (t.side === region.dataset.side || t.side === "both" || region.dataset.side === "both"));
        region.setAttribute("aria-pressed", on ? "true" : "false");
      });
    }

    function choose(region) {
      const group = region.dataset.group;
      const side = region.dataset.side;
      const already = api.twitches().find((t) => t.group === group && (t.side === side || t.side === "both"));
      if (already && already.side === side) {
        api.removeTwitch(already.row, {keepFocus: true}); // a second tap undoes a mistaken one
        refresh();
        return;
      }
      const row = already ? already.row : api.addTwitch(group, side);
      if (!row) {
        return;
      }
      refresh();
      // The intensity slider is the next thing to set (a tap or a drag); the page does not scroll, so the map
      // stays under the thumb for the next region.
      const control = row.querySelector("[data-intensity]") || row.querySelector("[data-muscle-group]");
      if (control) {
        control.focus({preventScroll: true});
      }
    }

    // One tab stop for the whole figure (roving tabindex); arrow keys move between regions, so keyboard users
    // who prefer the list below are not made to tab through forty shapes to reach it.
    function rove(target) {
      all.forEach((r) => r.setAttribute("tabindex", r === target ? "0" : "-1"));
    }
    function moveTo(index) {
      const regions = visible();
      const next = regions[(index + regions.length) % regions.length];
      rove(next);
      next.focus();
    }
    const STEP = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};

    function show(name) {
      map.querySelectorAll("[data-view]").forEach((view) => {
        if (view.dataset.view !== "head") {
          view.toggleAttribute("hidden", view.dataset.view !== name); // SVG elements have no .hidden property
        }
      });
      switches.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.bmShow === name)));
      rove(visible()[0]);
    }

    all.forEach((region) => {
      region.addEventListener("click", () => choose(region));
      region.addEventListener("keydown", (event) => {
        const regions = visible();
        const index = regions.indexOf(region);
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
    switches.forEach((button) => button.addEventListener("click", () => show(button.dataset.bmShow)));
    form.addEventListener("bfs:twitches-changed", refresh);
    map.hidden = false;
    show("front");
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
