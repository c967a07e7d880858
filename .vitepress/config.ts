import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { lessonIndex } from './lessons-index';
import { notebookCells } from './plugins/markdown-cells';
import { siteAssets } from './plugins/site-assets';
import { selfCheckMarkdown } from './theme/selfcheck/markdown';

const root = fileURLToPath(new URL('..', import.meta.url));

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
