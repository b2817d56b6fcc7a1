// Bundles the extension into dist/extension.js, the modules it loads on first use (scripts/lazyModules.js: the API
// client with axios, the panel's page, cURL and export) into dist/<name>.js, the demo tenant's simulator into dist/demo.js
// (loaded when the demo starts), and the panel's webview scripts (src/webview/, for the browser) into dist/webview/.
// `--production` minifies; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const { LAZY_MODULES, lazyModulesPlugin } = require('./scripts/lazyModules');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints build errors in the problem-matcher format VS Code's esbuild tasks understand. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * axios's Node build imports three packages this extension never uses: `form-data` (multipart bodies,
 * which drags in mime-db, ~140 kB), `follow-redirects` (used only when maxRedirects > 0; the client
 * sets 0 so a redirect can never carry the token elsewhere) and `https-proxy-agent` (used only when
 * axios handles a proxy itself; the client sets `proxy: false` and VS Code's proxy support applies).
 * Replacing them keeps the bundle small (see BENCHMARKS.md).
 */
const unusedAxiosDepsPlugin = {
  name: 'unused-axios-deps',
  setup(build) {
    const stubs = {
      'form-data': 'module.exports = globalThis.FormData;',
      'follow-redirects':
        "const off = { request() { throw new Error('Redirects are disabled in this extension (maxRedirects: 0).'); } };\n" +
        'module.exports = { http: off, https: off };',
      'https-proxy-agent': 'module.exports = class HttpsProxyAgent {};',
    };
    build.onResolve({ filter: /^(form-data|follow-redirects|https-proxy-agent)$/ }, (args) => ({ path: args.path, namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

/** A lazy module that also landed in dist/extension.js (a value import somewhere) would load twice: refuse. */
function checkLazyModulesStayOut(metafile) {
  const main = Object.entries(metafile.outputs).find(([file]) => file.endsWith('extension.js'));
  const inputs = main ? Object.keys(main[1].inputs) : [];
  const leaked = Object.values(LAZY_MODULES)
    .map((m) => m.module)
    .filter((file) => inputs.includes(file));
  if (leaked.length) throw new Error(`dist/extension.js must not contain ${leaked.join(', ')}: load it through its loader (scripts/lazyModules.js; import type elsewhere)`);
}

/**
 * The panel's webview scripts, for the browser: the panel (src/webview/main.ts) and the JSON view, its own
 * script loaded before it (src/webview/jsonView.ts). Each is one self-contained iife: the webview's CSP
 * allows only these two nonce'd scripts, so nothing may be loaded at run time.
 */
const webviewOptions = {
  entryPoints: { panel: 'src/webview/main.ts', jsonView: 'src/webview/jsonView.ts' },
  bundle: true,
  format: 'iife',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  platform: 'browser',
  target: 'es2022',
  outdir: 'dist/webview',
  logLevel: 'silent',
  metafile: true,
  plugins: [problemMatcherPlugin],
};

async function main() {
  const webview = await esbuild.context(webviewOptions);
  const ctx = await esbuild.context({
    // The extension; the modules it loads on first use; the demo's simulator, loaded when the demo starts.
    entryPoints: {
      extension: 'src/extension.ts',
      ...Object.fromEntries(Object.entries(LAZY_MODULES).map(([name, m]) => [name, m.module])),
      demo: 'src/demo/index.ts',
    },
    bundle: true,
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    platform: 'node',
    target: 'node20',
    outdir: 'dist',
    external: ['vscode'],
    logLevel: 'silent',
    metafile: true,
    plugins: [lazyModulesPlugin(__dirname), unusedAxiosDepsPlugin, problemMatcherPlugin],
  });
  if (watch) {
    await Promise.all([ctx.watch(), webview.watch()]);
  } else {
    const [result, webviewResult] = await Promise.all([ctx.rebuild(), webview.rebuild()]);
    checkLazyModulesStayOut(result.metafile);
    for (const [file, output] of [...Object.entries(result.metafile.outputs), ...Object.entries(webviewResult.metafile.outputs)]) {
      if (file.endsWith('.js')) console.log(`${file}: ${output.bytes} bytes${production ? ' (production)' : ''}`);
    }
    await Promise.all([ctx.dispose(), webview.dispose()]);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
