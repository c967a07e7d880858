import DefaultTheme from 'vitepress/theme';
import { inBrowser, withBase, type Theme } from 'vitepress';
import 'katex/dist/katex.min.css';
import '@observablehq/inputs/dist/index.css';
// The package's exports map hides its stylesheet, so it is imported by path.
import '../../node_modules/@observablehq/inspector/dist/inspector.css';
import Layout from './Layout.vue';
import NotebookCell from './notebook/NotebookCell.vue';
import CourseMap from './CourseMap.vue';
import { installSelfCheck } from './selfcheck';
import './notebook/notebook.css';

export default {
  extends: DefaultTheme,
  Layout,
  enhanceApp({ app }) {
    app.component('NotebookCell', NotebookCell);
    app.component('CourseMap', CourseMap);
    installSelfCheck(app);
    // The built site caches tfjs, WASM, data and weights after the first visit (public/sw.js); the dev server does not,
    // so an author always sees their latest edit.
    if (inBrowser && import.meta.env.PROD && 'serviceWorker' in navigator) {
      const shareLoaded = async () => {
        const worker = (await navigator.serviceWorker.ready).active;
        const urls = performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.startsWith(location.origin));
        worker?.postMessage({ type: 'cache-loaded', urls });
      };
      window.addEventListener('load', () => {
        navigator.serviceWorker
          .register(withBase('/sw.js'), { scope: withBase('/') })
          .then(() => shareLoaded())
          .catch((e: Error) => console.warn(`The offline cache is off: ${e.message}`));
        // tfjs and the WASM binaries arrive after load, when the first cell asks for them. Then the rest of the
        // course downloads in the background, so the next lesson opens from the cache and the course works offline.
        setTimeout(() => {
          void shareLoaded()
            .then(async () => (await navigator.serviceWorker.ready).active?.postMessage({ type: 'precache' }))
            .catch(() => undefined);
        }, 15_000);
      });
    }
  },
} satisfies Theme;
