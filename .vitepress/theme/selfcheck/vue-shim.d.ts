// Lets tsc (which does not read .vue files) type-check the .ts files that import components.
// If the theme gains a project-wide `*.vue` shim, delete this one.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
