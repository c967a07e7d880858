import type { Plugin } from 'vite';
import { siteAssetList } from '../../scripts/assets/index';
import type { SiteAsset } from '../../scripts/assets/types';

/**
 * Serves the files declared in scripts/assets/*.ts (tfjs .wasm binaries,
 * packed datasets, weights, models, photos) from the site's own origin in
 * dev, and writes them into the build. Nothing is fetched from a CDN.
 */
export function siteAssets(): Plugin {
  const list = async (): Promise<SiteAsset[]> => siteAssetList;
  let ssr = false;
  const cache = new Map<string, Promise<Uint8Array>>();
  return {
    name: 'vision-notebook-site-assets',
    configResolved(config) {
      ssr = Boolean(config.build.ssr);
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const base = server.config.base;
        const path = decodeURIComponent((req.url ?? '').split('?')[0]);
        if (!path.startsWith(base)) return next();
        const url = path.slice(base.length);
        const asset = (await list()).find((a) => a.url === url);
        if (!asset) return next();
        try {
          if (!cache.has(url)) cache.set(url, asset.load());
          const bytes = await cache.get(url)!;
          const type = url.endsWith('.wasm') ? 'application/wasm' : url.endsWith('.json') ? 'application/json' : url.endsWith('.jpg') ? 'image/jpeg' : 'application/octet-stream';
          res.setHeader('Content-Type', type);
          res.end(Buffer.from(bytes));
        } catch (e) {
          res.statusCode = 500;
          res.end(`Could not build ${url}: ${(e as Error).message}`);
        }
      });
    },
    async generateBundle() {
      // VitePress builds twice (client and SSR); only the client build goes to the site.
      if (ssr) return;
      for (const asset of await list()) {
        this.emitFile({ type: 'asset', fileName: asset.url, source: await asset.load() });
      }
    },
  };
}
