import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { lessonIndex } from './lessons-index';
import { notebookCells } from './plugins/markdown-cells';
import { siteAssets } from './plugins/site-assets';
import { selfCheckMarkdown } from './theme/selfcheck/markdown';

const root = fileURLToPath(new URL('..', import.meta.url));

/** A stamp of a build: every output file's path and size, so a rebuild that changes anything renames the offline cache. */
/** Every file of the build as a URL path with its size, pages and code first, data and weights after. */
function siteFiles(dir: string): { url: string; bytes: number }[] {
  const files: { url: string; bytes: number }[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push({ url: relative(dir, path).split('\\').join('/'), bytes: statSync(path).size });
    }
  };
  walk(dir);
  const rank = (url: string) => (/\.html$/.test(url) ? 0 : /^(assets|tfjs-wasm)\//.test(url) ? 1 : 2);
  return files.filter((f) => f.url !== 'sw.js' && f.url !== 'precache.json').sort((a, b) => rank(a.url) - rank(b.url));
}

function buildStamp(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${relative(dir, path)}:${statSync(path).size}\n`);
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 12);
}

function lessonSidebar(): DefaultTheme.SidebarItem[] {
  const lessons = lessonIndex(root);
  const parts = [...new Set(lessons.map((l) => l.part))];
  return parts.map((part) => ({
    text: part,
    collapsed: false,
    items: lessons
      .filter((l) => l.part === part)
      .map((l) => (l.link ? { text: `${l.order}. ${l.title}`, link: l.link } : { text: `${l.order}. ${l.title} (soon)` })),
  }));
}

export default defineConfig({
  title: 'Vision Notebook',
  description: 'An interactive course on computer vision and object detection that runs in your browser.',
  lang: 'en-US',
  cleanUrls: false,
  lastUpdated: false,
  srcExclude: ['**/README.md', 'node_modules/**', 'weights/**', 'test/**', 'bench/**', '**/self-check.md'],
  // The service worker's cache is named after this build (public/sw.js).
  buildEnd(site) {
    const sw = join(site.outDir, 'sw.js');
    const build = buildStamp(site.outDir);
    // The whole course, for the service worker to fetch in the background after a first visit (offline from then on).
    writeFileSync(join(site.outDir, 'precache.json'), JSON.stringify({ build, files: siteFiles(site.outDir) }));
    writeFileSync(sw, readFileSync(sw, 'utf8').replace("const BUILD = 'dev';", `const BUILD = '${build}';`));
  },
  // Lessons read wide: no outline column (it moves to the "On this page" menu), figures take the width.
  transformPageData(pageData) {
    if (/^lessons\/\d\d-[^/]+\/index\.md$/.test(pageData.relativePath)) {
      pageData.frontmatter.aside = false;
      pageData.frontmatter.pageClass = [pageData.frontmatter.pageClass, 'vn-lesson-layout'].filter(Boolean).join(' ');
    }
  },
  markdown: {
    math: true,
    config(md) {
      notebookCells(md);
      selfCheckMarkdown(md);
    },
  },
  themeConfig: {
    nav: [
      { text: 'Course', link: '/' },
      { text: 'Progress', link: '/progress' },
      { text: 'Docs', link: '/docs/getting-started' },
    ],
    sidebar: {
      '/lessons/': lessonSidebar(),
      '/progress': lessonSidebar(),
      '/docs/': [
        {
          text: 'Using the course',
          items: [
            { text: 'Getting started', link: '/docs/getting-started' },
            { text: 'Compute backends', link: '/docs/backends' },
            { text: 'Training on WASM', link: '/docs/backends-wasm-training' },
            { text: 'Photos and models', link: '/docs/photos-and-models' },
          ],
        },
        {
          text: 'Writing the course',
          items: [
            { text: 'Architecture', link: '/docs/architecture' },
            { text: 'Writing a lesson', link: '/docs/writing-a-lesson' },
            { text: 'Self-checks', link: '/docs/selfcheck' },
            { text: 'Contributing', link: '/docs/contributing' },
          ],
        },
        {
          text: 'Library API',
          items: [
            { text: 'Overview', link: '/docs/api/' },
            { text: 'Core: boxes, IoU, NMS, anchors, losses', link: '/docs/api/core' },
            { text: 'Core: RoIAlign and RoIPool', link: '/docs/api/core-roi' },
            { text: 'Core: deformable convolution', link: '/docs/api/core-deform' },
            { text: 'Core: COCO and VOC evaluation', link: '/docs/api/core-eval' },
            { text: 'Data', link: '/docs/api/data' },
            { text: 'Training', link: '/docs/api/train' },
            { text: 'Layers: attention, ViT blocks, profile', link: '/docs/api/nn-transformer' },
            { text: 'Pretrained detectors', link: '/docs/api/pretrained' },
            { text: 'Explain: looking inside a model', link: '/docs/api/explain' },
          ],
        },
      ],
    },
    search: { provider: 'local' },
    outline: [2, 3],
  },
  vite: {
    plugins: [siteAssets()],
    define: { __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'true' },
    // tfjs and the runtime load only on pages with cells, through dynamic import().
    optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
    build: { chunkSizeWarningLimit: 4000 },
    worker: { format: 'es' },
    ssr: { noExternal: ['@observablehq/inputs'] },
  },
});
