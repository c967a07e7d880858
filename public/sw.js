/*
 * The course's service worker: tfjs, its WASM binaries, datasets and weights
 * load once and are served from the browser's cache after that, so a second
 * lesson and a revisit start fast and the course works offline after the
 * first visit. Registered by .vitepress/theme/index.ts on the built site.
 *
 * - Files (scripts, styles, .wasm, model.json, weights, packed data, photos):
 *   cache first. The cache's name carries a stamp of the build
 *   (.vitepress/config.ts writes it at buildEnd), so a new build starts a new
 *   cache and nothing stale survives it.
 * - Pages (navigations, .html): network first, the cached copy when offline.
 * - After a first visit the page asks for the rest of the course (precache.json,
 *   written at buildEnd: every page, then code, then data and weights), fetched
 *   a few files at a time in the background, so every other lesson opens from
 *   the cache and offline.
 */
const BUILD = 'dev';
const CACHE = `vision-notebook-${BUILD}`;

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

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const url = new URL(request.url);
    const hit = (await cache.match(request)) || (await cache.match(request, { ignoreSearch: true }))
      // The background download stored pages under their file names.
      || (url.pathname.endsWith('/') && (await cache.match(new URL('index.html', url).href)));
    if (hit) return hit;
    throw error;
  }
}

// The page sends the same-origin files it loaded before this worker controlled it (the first visit's tfjs, WASM,
// data): they join the cache, so the next lesson does not fetch them again.
self.addEventListener('message', (event) => {
  const data = event.data;
  if (!data || data.type !== 'cache-loaded' || !Array.isArray(data.urls)) return;
  const reply = event.ports[0];
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
      reply?.postMessage('cached');
    }),
  );
});

// One background fetch of the whole course at a time; later asks wait for the same one.
let precaching = null;

async function precacheCourse() {
  const cache = await caches.open(CACHE);
  const manifest = await (await fetch(new URL('precache.json', self.registration.scope).href, { cache: 'no-store' })).json();
  const base = self.registration.scope;
  const missing = [];
  for (const file of manifest.files) {
    const href = new URL(file.url, base).href;
    if (!(await cache.match(href))) missing.push({ href, bytes: file.bytes });
  }
  let fetched = 0;
  let bytes = 0;
  const next = async () => {
    for (let file = missing.shift(); file; file = missing.shift()) {
      try {
        const response = await fetch(file.href);
        if (response.ok) {
          await cache.put(file.href, response);
          fetched += 1;
          bytes += file.bytes;
        }
      } catch {
        // Offline now: the file is fetched when a page needs it.
      }
    }
  };
  // Three at a time: the course downloads without starving the page the learner is reading.
  await Promise.all([next(), next(), next()]);
  return { files: manifest.files.length, fetched, bytes };
}

self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'precache') return;
  const reply = event.ports[0];
  precaching ??= precacheCourse().finally(() => { precaching = null; });
  event.waitUntil(
    precaching.then((result) => reply?.postMessage({ type: 'precached', ...result }), (error) => reply?.postMessage({ type: 'precache-failed', message: String(error) })),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPage(request, url)) event.respondWith(networkFirst(request));
  else event.respondWith(cacheFirst(request));
});
