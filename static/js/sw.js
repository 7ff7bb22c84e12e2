// RunStrong service worker: the athlete's pages keep opening with no signal.
//
// Served by coaching.pwa at /sw.js (scope: the whole site), which prepends
// self.RUNSTRONG_CONFIG: a version that changes with every cached asset, the static
// URL prefix, the assets to precache and the login URL.
//
// - The athlete's pages (/today/, /sessions/<id>/, /history/...): network first, the
//   last copy seen as the fallback with no signal (or a network too slow to answer).
//   Only plain 200 page loads are kept: never a redirect (to the login page), never an
//   htmx fragment, never a POST. Rows saved since are kept by the page itself and laid
//   over the copy; the page asks for a fresh copy only for a row the copy lacks.
// - /static/: cache first (the file names carry a hash in production; the cache name
//   carries the version, and old caches are dropped when a new worker activates).
// - Everything else (coach pages, the admin, the sync endpoint): not touched.
// - Opening the login page empties the page cache: whoever logs in next on a shared
//   phone never sees the previous person's pages, even offline.
"use strict";

var CONFIG = self.RUNSTRONG_CONFIG || {
  version: "dev",
  staticUrl: "/static/",
  assets: [],
  loginUrl: "/accounts/login/",
};
var PREFIX = "runstrong-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var PAGES_CACHE = PREFIX + "pages-" + CONFIG.version;
var ATHLETE_PAGES = [
  /^\/today\/$/,
  /^\/sessions\/[0-9a-f-]{36}\/$/,
  /^\/history\//,
];

function isAthletePage(url) {
  return (
    url.origin === self.location.origin &&
    ATHLETE_PAGES.some(function (pattern) {
      return pattern.test(url.pathname);
    })
  );
}

function isKeepable(response) {
  var type = response.headers.get("Content-Type") || "";
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    type.indexOf("text/html") === 0
  );
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then(function (cache) {
        // One missing asset must not stop the worker from installing.
        return Promise.all(
          CONFIG.assets.map(function (url) {
            return cache.add(url).catch(function () {});
          })
        );
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return (
                name.indexOf(PREFIX) === 0 && name !== STATIC_CACHE && name !== PAGES_CACHE
              );
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

// With poor signal a page load can hang for a minute: after this long, the copy on the
// phone is shown instead, and the network's answer, when it comes, replaces the copy.
var SLOW_NETWORK = 4000;

function offlinePage() {
  var html =
    '<!doctype html><html lang="en"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>No signal · RunStrong</title>" +
    "<h1>No signal</h1><p>This page was not opened on this phone while online, so it " +
    "can't be shown now. Today's session opens offline once you have seen it online.</p>";
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

function athletePage(event) {
  var stored = null;
  var network = fetch(event.request).then(function (response) {
    if (isKeepable(response)) {
      var copy = response.clone();
      stored = caches.open(PAGES_CACHE).then(function (cache) {
        return cache.put(event.request.url, copy);
      });
    }
    return response;
  });
  // The copy is stored even when the phone's copy was shown first.
  event.waitUntil(
    network
      .then(function () {
        return stored;
      })
      .catch(function () {})
  );
  var cached = caches
    .open(PAGES_CACHE)
    .then(function (cache) {
      return cache.match(event.request.url, { ignoreVary: true });
    })
    .catch(function () {
      return undefined;
    });
  var slow = new Promise(function (resolve) {
    setTimeout(resolve, SLOW_NETWORK);
  }).then(function () {
    return cached.then(function (copy) {
      return copy || network;
    });
  });
  return Promise.race([network, slow]).catch(function () {
    return cached.then(function (copy) {
      return copy || offlinePage();
    });
  });
}

function staticAsset(request) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (cached) {
      if (cached) return cached;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

function forgetPages() {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name.indexOf(PREFIX + "pages-") === 0;
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
}

function loginPage(request) {
  return fetch(request).then(function (response) {
    return forgetPages().then(function () {
      return response;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.loginUrl) {
    event.respondWith(loginPage(request));
  } else if (request.mode === "navigate" && isAthletePage(url)) {
    event.respondWith(athletePage(event));
  } else if (url.pathname.indexOf(CONFIG.staticUrl) === 0) {
    event.respondWith(staticAsset(request));
  }
});

// A page opened before this worker controlled it asks to be kept for offline use.
self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "cache-page") return;
  var url = new URL(data.url, self.location.href);
  if (!isAthletePage(url)) return;
  event.waitUntil(
    fetch(url.href, { credentials: "same-origin" })
      .then(function (response) {
        if (!isKeepable(response)) return false;
        return caches.open(PAGES_CACHE).then(function (cache) {
          return cache.put(url.href, response).then(function () {
            return true;
          });
        });
      })
      .catch(function () {
        return false;
      })
      .then(function (cached) {
        if (cached && event.source) event.source.postMessage({ type: "page-cached", url: url.href });
      })
  );
});
