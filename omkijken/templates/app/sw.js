/* Omkijken's service worker (served at /sw.js by core/app_views.py, scope: the whole site).

   - Keeps the offline page, the stylesheet and the script from the first visit on.
   - Pages: network first. Without a connection: the last copy of a voorstellen, berichten or
     gesprekken page this browser saw, else the Dutch offline page.
   - Only GET requests; a POST always goes to the network and is never stored.
   - Logging out empties the cache of pages (static/js/app.js asks, and the logout answer carries
     Clear-Site-Data), so the next person on a shared phone does not see them.
   - The cache names carry VERSION: a deploy that changes this file or a kept file replaces them. */
"use strict";

const VERSION = {{ version|tojson }};
const VASTE_CACHE = "omkijken-vast-" + VERSION;
const PAGINA_CACHE = "omkijken-paginas-" + VERSION;
const OFFLINE = {{ offline|tojson }};
const VOORAF = {{ precache|tojson }};
// Pages of one person worth reading again without a connection.
const BEWAREN = [/^\/voorstellen\/?$/, /^\/mijn-berichten\/?$/, /^\/gesprekken(\/\d+)?\/?$/, /^\/koppelingen\/\d+\/?$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VASTE_CACHE)
      // Without cookies: the offline page must not hold anything of the person logged in.
      .then((cache) => cache.addAll(VOORAF.map((url) => new Request(url, {credentials: "omit"}))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("omkijken-") && name !== VASTE_CACHE && name !== PAGINA_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "uitloggen") {
    event.waitUntil(caches.delete(PAGINA_CACHE).then(() => {
      if (event.ports[0]) event.ports[0].postMessage("klaar");
    }));
  }
});

function bewaren(response) {
  if (!response || !response.ok || response.type !== "basic") return false;
  return BEWAREN.some((pattern) => pattern.test(new URL(response.url).pathname));
}

async function pagina(request) {
  try {
    const response = await fetch(request);
    if (bewaren(response)) {
      const cache = await caches.open(PAGINA_CACHE);
      await cache.put(response.url, response.clone());
    }
    return response;
  } catch (error) {
    const bewaard = await caches.match(request.url, {cacheName: PAGINA_CACHE, ignoreSearch: true});
    if (bewaard) return bewaard;
    const offline = await caches.match(OFFLINE, {cacheName: VASTE_CACHE});
    return offline || Response.error();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pagina(request));
    return;
  }
  if (VOORAF.includes(url.pathname)) {
    event.respondWith(
      caches.match(url.pathname, {cacheName: VASTE_CACHE}).then((kept) => kept || fetch(request))
    );
  }
});
