/**
 * Copy as cURL and the export, loaded when first used. The production build keeps them in dist/records.js
 * (scripts/lazyModules.js); elsewhere only `import type` of ./records.
 */
import type * as RecordsModule from './records';

let loaded: typeof RecordsModule | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path the build maps to dist/records.js
export const recordsModule = (): typeof RecordsModule => (loaded ??= require('./records') as typeof RecordsModule);
