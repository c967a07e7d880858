import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
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
  },
} satisfies Theme;
