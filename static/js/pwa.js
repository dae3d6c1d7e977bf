/* BFS Tracker in the browser: registers the service worker, and keeps a day logged offline on this device
 * until the connection returns, then sends it once and says so.
 *
 * The queue lives in localStorage under "bfs.offline-logs.<user id>", one entry per date (a second offline save of the
 * same day replaces the first). Sending is safe to repeat: the server saves a day by date (daily_log_save
 * upserts), so a resend after a lost reply updates the same day instead of adding one. */
(function () {
  "use strict";

  // One queue per account, so a day logged offline is never sent while someone else is signed in.
  const QUEUE_KEY = "bfs.offline-logs." + (document.body.dataset.user || "anonymous");
  const DAY_PATH = /\/days\/(\d{4}-\d{2}-\d{2})\/$/;

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE_KEY) || "{}");
    } catch (err) {
      return {};
    }
  }

  function writeQueue(queue) {
    if (Object.keys(queue).length) {
      localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    } else {
      localStorage.removeItem(QUEUE_KEY);
    }
  }

  function humanDate(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-GB", {day: "numeric", month: "short", timeZone: "UTC"});
  }

  function tell(text, {show = false} = {}) {
    const box = document.getElementById("offline-status");
    if (!box) {
      return;
    }
    const line = document.createElement("p");
    line.textContent = text;
    box.append(line);
    box.hidden = false;
    if (show) {
      box.scrollIntoView({block: "nearest"}); // the person just pressed Save at the bottom of a long form
    }
  }

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The date a day form saves: data-day on the form, else the /days/<date>/ it posts to.
  function formDate(form) {
    if (form.dataset.day) {
      return form.dataset.day;
    }
    const match = new URL(form.action, location.href).pathname.match(DAY_PATH);
    return match ? match[1] : null;
  }

  function isDayForm(form) {
    return form.method.toLowerCase() === "post" && (form.hasAttribute("data-day-form") || formDate(form) !== null)
      && !new URL(form.action, location.href).pathname.endsWith("/delete/");
  }

  function queueForm(form, date) {
    const body = new URLSearchParams(new FormData(form)).toString();
    const queue = readQueue();
    queue[date] = {date: date, url: "/days/" + date + "/", body: body, queuedAt: new Date().toISOString()};
    writeQueue(queue);
    tell("Saved offline; will send when you're back online.", {show: true});
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (navigator.onLine || !(form instanceof HTMLFormElement) || !isDayForm(form)) {
      return;
    }
    const date = formDate(form);
    if (!date) {
      return;
    }
    event.preventDefault();
    queueForm(form, date);
  });

  async function sendOne(entry) {
    const body = new URLSearchParams(entry.body);
    // The token saved with the form may be stale (a new sign-in rotates it); the current page's is valid.
    const token = csrfToken();
    if (token) {
      body.set("csrfmiddlewaretoken", token);
    }
    const response = await fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: {"Content-Type": "application/x-www-form-urlencoded"},
    });
    // A saved day redirects to its page; a form with errors comes back as the form itself.
    if (response.ok && response.redirected && !new URL(response.url).pathname.startsWith("/accounts/login")) {
      return "sent";
    }
    return response.ok ? "invalid" : "refused";
  }

  let sending = false;

  async function sendQueued() {
    if (sending || !navigator.onLine) {
      return;
    }
    sending = true;
    try {
      const queue = readQueue();
      for (const date of Object.keys(queue).sort()) {
        const entry = queue[date];
        if (entry.stuck) {
          continue;
        }
        let outcome;
        try {
          outcome = await sendOne(entry);
        } catch (err) {
          return; // still offline after all; try again on the next "online" event
        }
        const latest = readQueue();
        if (outcome === "sent") {
          // Another save of the same day may have been queued while this one was in flight: keep that one.
          if (latest[date] && latest[date].queuedAt === entry.queuedAt) {
            delete latest[date];
          }
          tell("Your log for " + humanDate(date) + " was sent.");
        } else {
          latest[date] = Object.assign({}, entry, {stuck: outcome});
          tell(outcome === "invalid"
            ? "Your log for " + humanDate(date) + " was not saved: open that day to check it. It is kept on this device."
            : "Your log for " + humanDate(date) + " could not be sent; sign in again and it will be retried.");
        }
        writeQueue(latest);
      }
    } finally {
      sending = false;
    }
  }

  function sendQueuedOnce() {
    // Two open tabs must not send the same day twice at once.
    if (navigator.locks) {
      navigator.locks.request("bfs-offline-logs", sendQueued);
    } else {
      sendQueued();
    }
  }

  window.addEventListener("online", sendQueuedOnce);

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-logout")) {
      // Pages of someone's health log must not stay readable offline after they sign out.
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage("forget-pages");
      }
    }
  });

  // Forms the service worker kept because their post failed: move them into this account's queue.
  async function adoptOutbox() {
    if (!("caches" in window) || !(await caches.has("bfs-outbox"))) {
      return;
    }
    const outbox = await caches.open("bfs-outbox");
    for (const request of await outbox.keys()) {
      const date = new URL(request.url).pathname.split("/").pop();
      const response = await outbox.match(request);
      const queue = readQueue();
      queue[date] = {date: date, url: "/days/" + date + "/", body: await response.text(), queuedAt: new Date().toISOString()};
      writeQueue(queue);
      await outbox.delete(request);
      tell("Saved offline; will send when you're back online.", {show: true});
    }
  }

  async function start() {
    if ("serviceWorker" in navigator && document.body.dataset.sw) {
      navigator.serviceWorker.register(document.body.dataset.sw, {scope: "/"}).catch(() => {});
    }
    if (document.body.dataset.user) {
      await adoptOutbox().catch(() => {});
      // A refusal (signed out, expired token) is worth retrying now that this page is signed in.
      const queue = readQueue();
      Object.values(queue).filter((e) => e.stuck === "refused").forEach((e) => { delete e.stuck; });
      writeQueue(queue);
      const waiting = Object.keys(readQueue()).length;
      if (waiting && !navigator.onLine) {
        tell(waiting === 1 ? "1 day is saved on this device, waiting to be sent."
          : waiting + " days are saved on this device, waiting to be sent.");
      }
      sendQueuedOnce();
    }
  }

  window.BFS = window.BFS || {};
  window.BFS.offline = {pending: () => Object.keys(readQueue()), sendQueued: sendQueuedOnce};

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
