/**
 * The API client with axios, loaded on the first request instead of at activation. The production build
 * keeps it in dist/client.js (scripts/lazyModules.js); elsewhere only `import type` of ./client, or it
 * would be bundled into dist/extension.js too (the build refuses that).
 */
import type * as ClientModule from './client';

let loaded: typeof ClientModule | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal path the build maps to dist/client.js
export const clientModule = (): typeof ClientModule => (loaded ??= require('./client') as typeof ClientModule);
