/* "Same as yesterday": fills a not-yet-logged day's form from the day before, fetched as that day's own form page
 * (the server renders its saved values), so nothing about the form's fields is duplicated here.
 *
 * Copied: twitches (through BFS.dayForm), the "your day" fields, symptoms, reliefs. Not copied, on purpose: the
 * signs to tell a doctor about (each must be a deliberate tick for the day it happened) and the notes.
 * Nothing is saved until the person presses Save. */
(function () {
  "use strict";

  function setField(target, source) {
    if (source.type === "checkbox") {
      target.checked = source.checked;
    } else if (source.type === "radio") {
      if (source.checked) {
        target.checked = true;
      }
    } else if (source.tagName === "SELECT" && source.multiple) {
      const chosen = Array.from(source.selectedOptions).map((o) => o.value);
      Array.from(target.options).forEach((o) => { o.selected = chosen.includes(o.value); });
    } else {
      target.value = source.value;
    }
    target.dispatchEvent(new Event("change", {bubbles: true}));
  }

  function copy(form, previous) {
    const skip = new Set(["csrfmiddlewaretoken", "notes"]);
    previous.querySelectorAll("fieldset.signs [name]").forEach((el) => skip.add(el.name));
    let copied = 0;
    Array.from(previous.elements).forEach((source) => {
      if (!source.name || skip.has(source.name) || source.name.startsWith("twitches-")) {
        return;
      }
      const selector = source.type === "radio" || source.type === "checkbox"
        ? `[name="${source.name}"][value="${source.value}"]`
        : `[name="${source.name}"]`;
      const target = form.querySelector(selector);
      if (target) {
        setField(target, source);
        copied += 1;
      }
    });
    let groups = 0;
    previous.querySelectorAll("[data-twitch-row]").forEach((row) => {
      const group = row.querySelector("[data-muscle-group]");
      if (!group || !group.value) {
        return;
      }
      const side = row.querySelector("[data-side]:checked");
      const intensity = row.querySelector("[data-intensity]");
      window.BFS.dayForm.addTwitch(group.value, side ? side.value : "", intensity ? parseInt(intensity.value, 10) : 5);
      groups += 1;
    });
    return {copied, groups};
  }

  function start() {
    const box = document.querySelector("[data-same-as-yesterday]");
    const form = document.querySelector("form[data-day-form]");
    if (!box || !form || !(window.BFS && window.BFS.dayForm)) {
      return;
    }
    const button = box.querySelector("[data-copy-yesterday]");
    const status = box.querySelector("[data-copy-status]");
    const label = box.dataset.fromLabel;
    box.hidden = false;
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.textContent = `Fetching ${label}…`;
      try {
        const response = await fetch(box.dataset.from, {credentials: "same-origin"});
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const previous = doc.querySelector("form[data-day-form]");
        if (!previous || !doc.querySelector('a[href$="/delete/"]')) {
          status.textContent = `Nothing was logged on ${label}, so there is nothing to copy.`;
          return;
        }
        const {groups} = copy(form, previous);
        const muscles = groups === 1 ? "1 muscle group" : `${groups} muscle groups`;
        status.textContent = `Copied ${label}: ${muscles} and the rest of the day, except signs and notes. `
          + "Change anything that is different today, then save.";
      } catch (err) {
        status.textContent = `Could not fetch ${label}. Check your connection and try again.`;
      } finally {
        button.disabled = false;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
