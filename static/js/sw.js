/* BFS Tracker service worker: pages you have visited open offline; static files come from the cache.
 * Served by Django at /sw.js (bfs_tracker/pwa/views.py), which defines self.BFS_SW = {version, offlineUrl,
 * precache} in front of this file. Same-origin GET requests are answered from the network or the cache.
 *
 * A day form posted while the browser believes it is online but the request fails (a dead connection that still
 * reports itself as up) is kept in the "bfs-outbox" cache, and the person is sent back to the page they posted from; pwa.js there
 * moves it into its queue and says so. (When the browser knows it is offline, pwa.js queues the form itself.) */
"use strict";

const CONFIG = self.BFS_SW;
const STATIC_CACHE = "bfs-static-" + CONFIG.version;
const PAGE_CACHE = "bfs-pages-" + CONFIG.version;
const OUTBOX = "bfs-outbox";
const DAY_PATH = /^\/days\/(\d{4}-\d{2}-\d{2})\/$/;
// Never stored: signing in and out, admin, reports, exports, imports, share links and account deletion.
const NEVER_CACHE = [
  /^\/accounts\//, /^\/admin\//, /^\/sw\.js$/, /^\/report/, /^\/export\//, /^\/import\//, /^\/shared\//,
  /^\/settings\/(share|delete-account)/,
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
        keys.filter((k) => k.startsWith("bfs-") && ![STATIC_CACHE, PAGE_CACHE, OUTBOX].includes(k))
          .map((k) => caches.delete(k))
      ))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  // Sent by pwa.js when the person logs out: their pages must not stay readable on a shared device.
  if (event.data === "forget-pages") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  }
});

function isPage(request) {
  return request.mode === "navigate" || (request.headers.get("accept") || "").includes("text/html");
}

async function pageFromNetwork(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      const cache = await caches.open(PAGE_CACHE);
      await cache.put(request, response.clone());
    }
    return response;
  } catch (err) {
    const cached = await caches.match(request, {cacheName: PAGE_CACHE});
    return cached || (await caches.match(CONFIG.offlineUrl)) || Response.error();
  }
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
  try {
    return await fetch(request);
  } catch (err) {
    const outbox = await caches.open(OUTBOX);
    await outbox.put(new Request("/__outbox__/" + date), new Response(body, {headers: {"Content-Type": "text/plain"}}));
    // Back to the form's own page (stored on the way in), whose pwa.js moves the form into the queue.
    return Response.redirect(request.referrer || "/days/" + date + "/", 303);
  }
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
  if (NEVER_CACHE.some((pattern) => pattern.test(url.pathname))) {
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFromCache(request));
  } else if (isPage(request)) {
    event.respondWith(pageFromNetwork(request));
  }
});
