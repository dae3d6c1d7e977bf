/* BFS Tracker service worker: pages you have visited open offline; static files come from the cache.
 * Served by Django at /sw.js (bfs_tracker/pwa/views.py), which defines self.BFS_SW = {version, offlineUrl,
 * precache} in front of this file. Only same-origin GET requests are handled; form posts always go to the
 * network (a day logged offline is queued by pwa.js in the page, not here). */
"use strict";

const CONFIG = self.BFS_SW;
const STATIC_CACHE = "bfs-static-" + CONFIG.version;
const PAGE_CACHE = "bfs-pages-" + CONFIG.version;
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
        keys.filter((k) => k.startsWith("bfs-") && k !== STATIC_CACHE && k !== PAGE_CACHE).map((k) => caches.delete(k))
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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
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
