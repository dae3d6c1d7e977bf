/* The day form, progressively enhanced. Without JavaScript the form works as plain HTML (three blank twitch rows).

   Markup contract (templates/logbook/day.html and _twitch_row.html):
     form[data-day-form]                 the day form (id="day-form")
     [data-twitch-rows]                  container of twitch rows
     [data-twitch-row]                   one row; inside it:
       select[data-muscle-group]         name="twitches-N-muscle_group", id="id_twitches-N-muscle_group"
       input[type=radio][data-side]      name="twitches-N-side", values left | right | both, ids id_twitches-N-side_0..2
       input[type=range][data-intensity] name="twitches-N-intensity", 1..10
       output[data-intensity-output]     shows the intensity number
       button[data-twitch-remove]        removes the row
       [data-twitch-detail]              side and intensity; hidden (with remove) while no muscle group is chosen
     template[data-twitch-template]      an empty row with "__prefix__" in place of N
     button[data-twitch-add]             "Add a muscle group"
     input[name="twitches-TOTAL_FORMS"]  kept equal to the number of rows (rows are renumbered 0..n-1 on every change)
     [data-caffeine-buttons] button[data-caffeine-add="95"]   adds mg to #id_caffeine_mg
     [data-caffeine-clear]               sets #id_caffeine_mg back to 0
     [data-weakness-location]            wraps the "where" field, shown while Weakness is ticked
     [data-stepper]                      an amount: input[type=number] (step, min, max, data-start) between two
                                         button[data-step-by="-1" | "1"]; the first tap from blank sets data-start
     [data-quiet-day]                    the "Quiet day" shortcut; made invisible (not removed, so nothing below
                                         it moves under a thumb) once anything in the form has been changed

   JavaScript API, for other modules (e.g. a tap-on-body-map picker). Load after this file or wait for
   DOMContentLoaded; all functions are no-ops (returning null/[]) on pages without the day form.
     BFS.dayForm.addTwitch(group, side, intensity) -> row element
         group: a MuscleGroup value ("calf", "upper_arm", ...); side: "left" | "right" | "both" (optional);
         intensity: 1..10 (optional, default 5). If a row for the same group and side exists it is updated and
         returned instead of adding a second row; otherwise the first blank row is filled, or a new row added.
     BFS.dayForm.removeTwitch(row, {keepFocus}) remove a row element (its entry is dropped when the form is
                                         saved); focus moves to the next row unless keepFocus is true
     BFS.dayForm.twitches() -> [{group, side, intensity, row}] for rows with a muscle group chosen
   Events dispatched on the form: "bfs:twitches-changed" (detail: {twitches: BFS.dayForm.twitches()}) after any
   add, remove or change of a row.
*/
(function () {
  "use strict";
  var PREFIX = "twitches";
  var form, rowsBox, template, totalInput;

  function rows() {
    return rowsBox ? Array.prototype.slice.call(rowsBox.querySelectorAll("[data-twitch-row]")) : [];
  }

  function rowValue(row) {
    var select = row.querySelector("[data-muscle-group]");
    var checked = row.querySelector("[data-side]:checked");
    var range = row.querySelector("[data-intensity]");
    return {
      group: select ? select.value : "",
      side: checked ? checked.value : "",
      intensity: range ? parseInt(range.value, 10) : null,
      row: row
    };
  }

  function twitches() {
    return rows().map(rowValue).filter(function (t) { return t.group; });
  }

  function changed() {
    if (form) {
      form.dispatchEvent(new CustomEvent("bfs:twitches-changed", { detail: { twitches: twitches() } }));
    }
  }

  // Give every row the index of its position, so the formset sees rows 0..n-1 with no gaps.
  function renumber() {
    var pattern = new RegExp(PREFIX + "-(\\d+|__prefix__)-", "g");
    rows().forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value) {
            var renamed = value.replace(pattern, PREFIX + "-" + index + "-");
            if (renamed !== value) { el.setAttribute(attr, renamed); }
          }
        });
      });
    });
    if (totalInput) { totalInput.value = String(rows().length); }
  }

  function showOutput(row) {
    var range = row.querySelector("[data-intensity]");
    var output = row.querySelector("[data-intensity-output]");
    if (range && output) { output.textContent = range.value; }
  }

  // A row with nothing chosen yet shows only its muscle group: no side, intensity or "Remove" to puzzle over.
  function showEmpty(row) {
    var empty = !rowValue(row).group && !row.querySelector(".errorlist");
    row.classList.toggle("is-empty", empty);
    var remove = row.querySelector("[data-twitch-remove]");
    if (remove) { remove.hidden = empty; }
  }

  function enhanceRow(row) {
    var remove = row.querySelector("[data-twitch-remove]");
    if (remove) {
      remove.addEventListener("click", function () { removeTwitch(row); });
    }
    var range = row.querySelector("[data-intensity]");
    if (range) {
      range.addEventListener("input", function () { showOutput(row); });
    }
    row.addEventListener("change", function () { showEmpty(row); changed(); });
    showOutput(row);
    showEmpty(row);
  }

  function newRow() {
    if (!template || !rowsBox) { return null; }
    var fragment = template.content.cloneNode(true);
    var row = fragment.querySelector("[data-twitch-row]");
    rowsBox.appendChild(fragment);
    renumber();
    enhanceRow(row);
    return row;
  }

  function setRow(row, group, side, intensity) {
    var select = row.querySelector("[data-muscle-group]");
    if (select && group) { select.value = group; }
    if (side) {
      var radio = row.querySelector('[data-side][value="' + side + '"]');
      if (radio) { radio.checked = true; }
    }
    var range = row.querySelector("[data-intensity]");
    if (range && intensity) { range.value = String(Math.max(1, Math.min(10, intensity))); }
    showOutput(row);
    showEmpty(row);
  }

  function addTwitch(group, side, intensity) {
    if (!rowsBox) { return null; }
    var existing = twitches().filter(function (t) { return t.group === group && t.side === (side || ""); })[0];
    var row = existing ? existing.row : rows().filter(function (r) { return !rowValue(r).group; })[0] || newRow();
    if (!row) { return null; }
    setRow(row, group, side, intensity || (existing ? null : 5));
    changed();
    return row;
  }

  function removeTwitch(row, options) {
    if (!row || !row.parentNode) { return; }
    var next = row.nextElementSibling || row.previousElementSibling;
    row.parentNode.removeChild(row);
    renumber();
    if (!(options && options.keepFocus)) {
      var focusTarget = next ? next.querySelector("[data-muscle-group]") : form.querySelector("[data-twitch-add]");
      if (focusTarget) { focusTarget.focus(); }
    }
    changed();
  }

  function setUpCaffeine() {
    var box = form.querySelector("[data-caffeine-buttons]");
    var field = document.getElementById("id_caffeine_mg");
    if (!box || !field) { return; }
    box.hidden = false;
    box.querySelectorAll("[data-caffeine-add]").forEach(function (button) {
      button.addEventListener("click", function () {
        var current = parseInt(field.value, 10) || 0;
        field.value = String(current + parseInt(button.getAttribute("data-caffeine-add"), 10));
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });
    var clear = box.querySelector("[data-caffeine-clear]");
    if (clear) {
      clear.addEventListener("click", function () {
        field.value = "0";
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
  }

  // 7, 6.5: never "7.0".
  function plain(number) {
    return String(Math.round(number * 100) / 100);
  }

  function setUpSteppers() {
    form.querySelectorAll("[data-stepper]").forEach(function (box) {
      var input = box.querySelector("input");
      var label = input && form.querySelector('label[for="' + input.id + '"]');
      var name = label ? label.textContent.trim() : "";
      box.querySelectorAll("[data-step-by]").forEach(function (button) {
        var direction = parseInt(button.getAttribute("data-step-by"), 10);
        var step = parseFloat(input.step) || 1;
        button.setAttribute("aria-label", (direction < 0 ? "Less " : "More ") + name.toLowerCase()
          + " (" + plain(step) + ")");
        button.setAttribute("aria-controls", input.id);
        button.hidden = false;
        button.addEventListener("click", function () {
          var current = parseFloat(input.value);
          var next = isNaN(current) ? parseFloat(input.getAttribute("data-start")) : current + direction * step;
          var low = parseFloat(input.min);
          var high = parseFloat(input.max);
          if (!isNaN(low)) { next = Math.max(low, next); }
          if (!isNaN(high)) { next = Math.min(high, next); }
          input.value = plain(next);
          input.dispatchEvent(new Event("change", { bubbles: true }));
        });
      });
    });
  }

  function setUpQuietDay() {
    var box = document.querySelector("[data-quiet-day]");
    if (!box) { return; }
    function spent() { box.classList.add("is-spent"); }
    form.addEventListener("change", spent);
    form.addEventListener("bfs:twitches-changed", spent);
  }

  function setUpWeakness() {
    var box = form.querySelector("[data-weakness-location]");
    var tick = document.getElementById("id_weakness");
    if (!box || !tick) { return; }
    var hasError = box.querySelector(".errorlist");
    function sync() { box.hidden = !tick.checked && !hasError; }
    tick.addEventListener("change", sync);
    sync();
  }

  function init() {
    form = document.querySelector("[data-day-form]");
    if (!form) { return; }
    form.classList.add("js-day");
    rowsBox = form.querySelector("[data-twitch-rows]");
    template = form.querySelector("[data-twitch-template]");
    totalInput = form.querySelector('input[name="' + PREFIX + '-TOTAL_FORMS"]');

    // With JavaScript, rows are added on demand: keep one blank row only when nothing is filled in yet.
    var blank = rows().filter(function (row) { return !rowValue(row).group && !row.querySelector(".errorlist"); });
    var keepOne = blank.length === rows().length;
    blank.slice(keepOne ? 1 : 0).forEach(function (row) { row.parentNode.removeChild(row); });
    renumber();
    rows().forEach(enhanceRow);

    var add = form.querySelector("[data-twitch-add]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var row = newRow();
        var select = row && row.querySelector("[data-muscle-group]");
        if (select) { select.focus(); }
        changed();
      });
    }
    setUpCaffeine();
    setUpSteppers();
    setUpWeakness();
    setUpQuietDay();

    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  window.BFS = window.BFS || {};
  window.BFS.dayForm = { addTwitch: addTwitch, removeTwitch: removeTwitch, twitches: twitches };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
