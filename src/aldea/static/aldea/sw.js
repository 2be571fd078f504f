// Aldea's service worker (served at /sw.js by aldea.ops.webapp; docs/decisions.md O13).
//
// - The field pages (attendance, scores, the MSME list, the diagnostic, meeting notes, monthly
//   results) are fetched network-first and kept in Cache Storage, so that once visited they open
//   without a connection. Signed-in pages carry Cache-Control: no-store, which keeps them out of
//   the browser's HTTP cache; the Cache API is the worker's own store and keeps them anyway.
//   Signing out empties that store (offline.js, on the first page without a signed-in user).
// - Static files are cache-first when their name carries a content hash (they never change),
//   network-first otherwise (development, where names are plain).
// - Writes are not touched here: the page queues them (offline.js) when the network fails.
"use strict";

const PAGES = "aldea-pages-v1";
const STATIC = "aldea-static-v1";
const KEEP = [PAGES, STATIC];

// The pages kept for offline use, by path.
const OFFLINE_PAGES = [
  /^\/training\/$/,
  /^\/training\/cohort\/[^/]+\/$/,
  /^\/training\/cohort\/[^/]+\/session\/\d+\/attendance\/$/,
  /^\/msmes\/$/,
  /^\/msmes\/[^/]+\/$/,
  /^\/msmes\/[^/]+\/results\/$/,
  /^\/diagnostics\/msme\/[^/]+\/new\/$/,
  /^\/consultancy\/$/,
  /^\/consultancy\/engagement\/\d+\/$/,
];
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) { return KEEP.indexOf(name) < 0; })
          .map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function isOfflinePage(url) {
  return OFFLINE_PAGES.some(function (pattern) { return pattern.test(url.pathname); });
}

function networkFirst(request, cacheName) {
  return fetch(request).then(function (response) {
    // Only a page the server gave in full: not a redirect to the login page, not an error.
    if (response.ok && !response.redirected && response.type === "basic") {
      const copy = response.clone();
      caches.open(cacheName).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function (error) {
    return caches.open(cacheName).then(function (cache) {
      return cache.match(request, { ignoreVary: true });
    }).then(function (cached) {
      if (cached) { return cached; }
      throw error;
    });
  });
}

function cacheFirst(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") { return; }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request, STATIC));
  } else if (request.mode === "navigate" && isOfflinePage(url)) {
    event.respondWith(networkFirst(request, PAGES));
  }
});

// A page asks for itself to be kept: the first page a worker sees was loaded before it ran.
self.addEventListener("message", function (event) {
  const data = event.data || {};
  if (data.type === "keep-page" && data.url) {
    const url = new URL(data.url);
    if (url.origin === self.location.origin && isOfflinePage(url)) {
      event.waitUntil(caches.open(PAGES).then(function (cache) {
        return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) { return cache.put(url.href, response); }
        });
      }).catch(function () {}));
    }
  } else if (data.type === "forget-pages") {
    event.waitUntil(caches.delete(PAGES));
  }
});
