/**
 * axios, loaded when the first client is built (the first request), not at activation: it is about a third
 * of the extension's JavaScript. The production build keeps it in its own file, dist/axios.js (esbuild.js);
 * tests and benchmarks compiled by tsc load it from node_modules. Either way there is one copy.
 */
import type { AxiosStatic } from 'axios';

let axios: AxiosStatic | undefined;

export function loadAxios(): AxiosStatic {
  // A require() inside a function, so that loading this module does not load axios.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  axios ??= (require('axios') as { default: AxiosStatic }).default;
  return axios;
}
