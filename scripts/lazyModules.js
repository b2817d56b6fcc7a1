// Modules the extension loads on first use, not at activation: each is its own bundle, dist/<name>.js. Each
// has one loader (a `require('./<module>')` in a small file beside it); this plugin keeps that require a
// run-time require of dist/<name>.js instead of bundling the module into dist/extension.js. Shared by
// esbuild.js and the bundle benchmark.
const path = require('node:path');

/** Bundle name -> the module and the one file that loads it (paths from the repository root). */
const LAZY_MODULES = {
  client: { module: 'src/onelogin/client.ts', loader: 'src/onelogin/loadClient.ts' },
  panelPage: { module: 'src/panel/page.ts', loader: 'src/panel/loadPage.ts' },
  records: { module: 'src/records/records.ts', loader: 'src/records/loadRecords.ts' },
};

/** An esbuild plugin: the loaders' requires of their module become requires of `./<name>.js`. */
function lazyModulesPlugin(root) {
  const byLoader = new Map(Object.entries(LAZY_MODULES).map(([name, m]) => [path.resolve(root, m.loader), { name, module: path.resolve(root, m.module) }]));
  return {
    name: 'lazy-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\// }, (args) => {
        const lazy = byLoader.get(args.importer);
        if (!lazy || path.resolve(path.dirname(args.importer), args.path) + '.ts' !== lazy.module) return undefined;
        return { path: `./${lazy.name}.js`, external: true };
      });
    },
  };
}

module.exports = { LAZY_MODULES, lazyModulesPlugin };
