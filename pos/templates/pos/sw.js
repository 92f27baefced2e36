// CafePOS service worker: keeps the POS usable without a server. The shell pages, the assets and the last
// menu and tables are cached; pages and data are fetched from the network first (the cached copy answers
// when the server does not, marked X-CafePOS-Offline), assets from the cache. Writes are never touched:
// the pages keep them in their IndexedDB outbox until the server answers.
"use strict";

var CONFIG = {{ config|safe }};
var CACHE = "cafepos-pos-" + CONFIG.version;
var NAVIGATION_TIMEOUT_MS = 4000;

function remember(cache, url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (response.ok && !response.redirected) return cache.put(url, response);
    return null;
  }).catch(function () {});
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(CONFIG.assets).then(function () {
        return Promise.all(CONFIG.pages.concat(CONFIG.data).map(function (url) { return remember(cache, url); }));
      });
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("cafepos-pos-") === 0 && key !== CACHE;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function forgetPages() {
  return caches.open(CACHE).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (page) { return cache.delete(page); }));
  });
}

function offline(cached) {
  var headers = new Headers(cached.headers);
  headers.set("X-CafePOS-Offline", "1");
  return cached.blob().then(function (body) {
    return new Response(body, { status: cached.status, statusText: cached.statusText, headers: headers });
  });
}

function networkFirst(request, key, timeoutMs) {
  var network = fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    } else if (response.type === "opaqueredirect") {
      forgetPages(); // sent to sign in: nobody is signed in here any more, so no page is kept for offline use
    }
    return response;
  });
  function fallback() {
    return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (cached) {
      return cached ? offline(cached) : network;
    });
  }
  return new Promise(function (resolve) {
    var timer = timeoutMs ? setTimeout(function () { fallback().then(resolve, function () {}); }, timeoutMs) : null;
    network.then(
      function (response) { clearTimeout(timer); resolve(response); },
      function () {
        clearTimeout(timer);
        fallback().then(resolve, function () { resolve(Response.error()); });
      }
    );
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname.indexOf(CONFIG.scope) === 0) {
    event.respondWith(networkFirst(request, url.pathname, NAVIGATION_TIMEOUT_MS));
  } else if (CONFIG.data.indexOf(url.pathname) >= 0 && !url.search) {
    event.respondWith(networkFirst(request, url.pathname, 0));
  } else if (CONFIG.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname).then(function (cached) { return cached || fetch(request); }));
  }
});
