/**
 * The panel's page (HTML and strings), loaded when the panel first opens. The production build keeps it in
 * dist/panelPage.js (scripts/lazyModules.js); elsewhere only `import type` of ./page.
 */
import type * as PageModule from './page';

let loaded: typeof PageModule | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path the build maps to dist/panelPage.js
export const panelPageModule = (): typeof PageModule => (loaded ??= require('./page') as typeof PageModule);
