/*
 * The course's service worker: tfjs, its WASM binaries, datasets and weights
 * load once and are served from the browser's cache after that, so a second
 * lesson and a revisit start fast and the course works offline after the
 * first visit. Registered by .vitepress/theme/index.ts on the built site.
 *
 * - /assets/* file names carry a content hash: cache first, they never change.
 * - Other static files (.wasm, model.json, weights, packed data, photos):
 *   served from the cache and refreshed in the background, so a new build's
 *   weights arrive on the next visit.
 * - Pages (navigations, .html): network first, the cached copy when offline.
 */
const CACHE = 'vision-notebook-v1';

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(names.filter((n) => n.startsWith('vision-notebook-') && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

function isPage(request, url) {
  return request.mode === 'navigate' || url.pathname.endsWith('.html') || url.pathname.endsWith('/');
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}

async function staleWhileRevalidate(request, event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  const refresh = fetch(request).then((response) => {
    if (response.ok) cache.put(request, response.clone());
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => undefined));
    return hit;
  }
  return refresh;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const hit = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }));
    if (hit) return hit;
    throw error;
  }
}

// The page sends the same-origin files it loaded before this worker controlled it (the first visit's tfjs, WASM,
// data): they join the cache, so the next lesson does not fetch them again.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-loaded' || !Array.isArray(data.urls)) return;
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      for (const href of data.urls) {
        const url = new URL(href, self.location.href);
        if (url.origin !== self.location.origin || isPage({ mode: 'no-cors' }, url)) continue;
        if (await cache.match(url.href)) continue;
        try {
          const response = await fetch(url.href);
          if (response.ok) await cache.put(url.href, response);
        } catch {
          // Offline or gone: it is fetched when next needed.
        }
      }
    }),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(request, url)) event.respondWith(networkFirst(request));
  else if (url.pathname.includes('/assets/')) event.respondWith(cacheFirst(request));
  else event.respondWith(staleWhileRevalidate(request, event));
});
