/* BFS Tracker service worker: pages you have visited open offline; static files come from the cache.
 * Served by Django at /sw.js (bfs_tracker/pwa/views.py), which defines self.BFS_SW = {version, offlineUrl,
 * precache} in front of this file. Same-origin GET requests are answered from the network or the cache.
 *
 * Stored pages belong to one session of one person. Every answer from the app carries a "BFS-Session" header
 * (bfs_tracker/security/middleware.py): "none" when no one is signed in, else "tag=<session>; expires=<unix time>".
 * The worker remembers the latest one. When an answer shows another session, or none (signed out here, on another
 * device, by a password change, an expired session or a deleted account, all of which send the next page to the
 * sign-in page), the stored pages are deleted. Offline, a stored page is shown only if it was stored for the
 * session last seen and that session cannot have expired yet; otherwise the pages are deleted and the offline page
 * is shown. What it cannot know: a session ended elsewhere while this browser stayed offline the whole time; those
 * pages stay readable here until the session's own expiry time (at most 7 days after this browser last reached
 * the app), or until the browser is next online.
 *
 * A day form posted while the browser believes it is online but the request fails (a dead connection that still
 * reports itself as up) is kept in the "bfs-outbox" cache, and the person is sent back to the page they posted from;
 * pwa.js there moves it into its queue and says so. (When the browser knows it is offline, pwa.js queues the form
 * itself.) */
"use strict";

const CONFIG = self.BFS_SW;
const STATIC_CACHE = "bfs-static-" + CONFIG.version;
const PAGE_CACHE = "bfs-pages-" + CONFIG.version;
const SESSION_CACHE = "bfs-session";
const SESSION_KEY = "/__session__";
const SESSION_HEADER = "BFS-Session";
const OUTBOX = "bfs-outbox";
const DAY_PATH = /^\/days\/(\d{4}-\d{2}-\d{2})\/$/;
// Never stored: signing in and out, admin, reports, exports, imports, share links and account settings that
// carry secrets or end the account. They still pass through the worker, so it learns when a session has ended.
const NEVER_CACHE = [
  /^\/accounts\//, /^\/admin\//, /^\/sw\.js$/, /^\/report/, /^\/export\//, /^\/import\//, /^\/shared\//,
  /^\/settings\/(share|delete-account|email|log-out-everywhere)/,
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC_CACHE)
      // Stored signed out, so the offline page holds nothing personal.
      .then((cache) => cache.addAll(CONFIG.precache.map((url) => new Request(url, {credentials: "omit"}))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((k) => k.startsWith("bfs-") && ![STATIC_CACHE, PAGE_CACHE, SESSION_CACHE, OUTBOX].includes(k))
          .map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

// --- Whose pages these are ---

// The session an answer was made for: {tag, expires}, tag "" when signed out; null when the answer says nothing
// (not from the app, e.g. a proxy's error page, or a redirect whose headers the browser hides).
function sessionOf(response) {
  const value = response.headers.get(SESSION_HEADER);
  if (value === null) {
    return null;
  }
  const tag = /tag=([0-9a-f]+)/.exec(value);
  const expires = /expires=(\d+)/.exec(value);
  return {tag: tag ? tag[1] : "", expires: tag && expires ? Number(expires[1]) : 0};
}

async function knownSession() {
  const stored = await (await caches.open(SESSION_CACHE)).match(SESSION_KEY);
  return stored ? stored.json() : {tag: "", expires: 0};
}

async function rememberSession(session) {
  const cache = await caches.open(SESSION_CACHE);
  await cache.put(SESSION_KEY, new Response(JSON.stringify(session), {headers: {"Content-Type": "application/json"}}));
}

async function forgetPages() {
  await caches.delete(PAGE_CACHE);
  await rememberSession({tag: "", expires: 0});
}

// Learn from an answer of the app; a different session, or none, means the stored pages are someone else's now.
async function learn(response) {
  let seen = sessionOf(response);
  if (seen === null && (response.status === 401 || response.status === 403)) {
    seen = {tag: "", expires: 0}; // refused by something in front of the app: treat it as signed out
  }
  if (seen === null) {
    return;
  }
  const known = await knownSession();
  if (seen.tag !== known.tag) {
    await caches.delete(PAGE_CACHE);
  }
  if (seen.tag !== known.tag || seen.expires !== known.expires) {
    await rememberSession(seen);
  }
}

// A stored page, only for the session last seen and only while that session can still be alive.
async function storedPage(request) {
  const stored = await caches.match(request, {cacheName: PAGE_CACHE});
  if (!stored) {
    return null;
  }
  const known = await knownSession();
  const own = sessionOf(stored);
  if (!known.tag || Date.now() / 1000 >= known.expires) {
    await forgetPages();
    return null;
  }
  return own && own.tag === known.tag ? stored : null;
}

self.addEventListener("message", (event) => {
  // Sent by pwa.js when the person logs out: their pages must not stay readable on a shared device.
  if (event.data === "forget-pages") {
    event.waitUntil(forgetPages());
  }
});

// --- Answering requests ---

function isPage(request) {
  return request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html");
}

async function offlineAnswer(request) {
  if (request.mode === "navigate") {
    return (await caches.match(CONFIG.offlineUrl)) || Response.error();
  }
  return Response.error();
}

async function pageFromNetwork(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (err) {
    return (await storedPage(request)) || offlineAnswer(request);
  }
  await learn(response);
  const session = sessionOf(response);
  if (response.ok && response.type === "basic" && !response.redirected && session && session.tag) {
    const cache = await caches.open(PAGE_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function fromNetworkOnly(request) {
  let response;
  try {
    response = await fetch(request);
  } catch (err) {
    return offlineAnswer(request);
  }
  await learn(response);
  return response;
}

async function staticFromCache(request) {
  const cached = await caches.match(request);
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(STATIC_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function postOrKeep(request, date) {
  const body = await request.clone().text();
  let response;
  try {
    response = await fetch(request);
  } catch (err) {
    const outbox = await caches.open(OUTBOX);
    await outbox.put(new Request("/__outbox__/" + date), new Response(body, {headers: {"Content-Type": "text/plain"}}));
    // Back to the form's own page (stored on the way in), whose pwa.js moves the form into the queue.
    return Response.redirect(request.referrer || "/days/" + date + "/", 303);
  }
  await learn(response);
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const day = url.pathname.match(DAY_PATH);
  if (request.method === "POST" && request.mode === "navigate" && url.origin === self.location.origin && day) {
    event.respondWith(postOrKeep(request, day[1]));
    return;
  }
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFromCache(request));
  } else if (isPage(request) && !NEVER_CACHE.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(pageFromNetwork(request));
  } else {
    event.respondWith(fromNetworkOnly(request));
  }
});
