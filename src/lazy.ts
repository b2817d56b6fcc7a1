/**
 * Modules loaded on first use, not at activation: the API client with axios (the first request), the panel's
 * page (the panel opens), Copy as cURL and the export (first used). The production build keeps each in its
 * own file, dist/<name>.js (esbuild.js, LAZY_MODULES); tsc's output (tests, benchmarks) loads them from out/.
 *
 * Only `import type` of these modules anywhere else: a value import would put the module into
 * dist/extension.js as well (esbuild.js fails the build when it does). The small modules a lazy one shares
 * with the rest (ids, redaction, errors) are copied into its file; they hold no state, and OneLoginError's
 * `instanceof` checks a brand, so both copies agree.
 */
import type * as ClientModule from './onelogin/client';
import type * as PanelPageModule from './panel/page';
import type * as RecordsModule from './workflow/records';

// Each a require() inside a function, with a literal path: esbuild.js maps these paths to dist/<name>.js.
/* eslint-disable @typescript-eslint/no-require-imports */
let client: typeof ClientModule | undefined;
export function clientModule(): typeof ClientModule {
  return (client ??= require('./onelogin/client') as typeof ClientModule);
}

let panelPage: typeof PanelPageModule | undefined;
export function panelPageModule(): typeof PanelPageModule {
  return (panelPage ??= require('./panel/page') as typeof PanelPageModule);
}

let records: typeof RecordsModule | undefined;
export function recordsModule(): typeof RecordsModule {
  return (records ??= require('./workflow/records') as typeof RecordsModule);
}
