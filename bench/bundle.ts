/**
 * (1) Bundle: the production bundles and the .vsix, their sizes, and what the JavaScript loaded at activation
 * (dist/extension.js) is made of (an esbuild metafile of the same entry and options). The modules loaded
 * on first use (scripts/lazyModules.js: the client with axios, the panel's page, cURL and export) and the demo's simulator are their
 * own files, loaded on first use.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildAndPackage } from './lib/packaging';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build's own plain-JS helper
const { lazyModulesPlugin } = require('../../scripts/lazyModules.js') as { lazyModulesPlugin: (root: string) => import('esbuild').Plugin };
import { fmt, single } from './lib/stats';
import type { Area, Metric } from './lib/types';

const A = 'bundle';
const KiB = (n: number): number => Math.round(n / 102.4) / 10;

/** Bytes per input group in a minified bundle of src/extension.ts (same options as esbuild.js --production). */
async function composition(root: string, extraStubs: Record<string, string> = {}): Promise<{ total: number; groups: Record<string, number> } | undefined> {
  try {
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const stubs: Record<string, string> = { 'form-data': 'module.exports = globalThis.FormData;', 'follow-redirects': 'module.exports = {};', ...extraStubs };
    const filter = new RegExp(`^(${Object.keys(stubs).map((k) => k.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|')})$`);
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src/extension.ts'],
      bundle: true,
      format: 'cjs',
      minify: true,
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      write: false,
      metafile: true,
      logLevel: 'silent',
      outfile: 'out.js',
      plugins: [
        // The modules loaded on first use are their own files (esbuild.js): not part of what activation loads.
        lazyModulesPlugin(root),
        {
          name: 'stubs',
          setup(b) {
            b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'stub' }));
            b.onLoad({ filter: /.*/, namespace: 'stub' }, (a) => ({ contents: stubs[a.path], loader: 'js' }));
          },
        },
      ],
    });
    const out = Object.values(result.metafile.outputs)[0];
    const groups: Record<string, number> = {};
    for (const [file, info] of Object.entries(out.inputs)) {
      const m = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const key = m ? m[1] : file.startsWith('src/') ? 'src/' : 'other';
      groups[key] = (groups[key] ?? 0) + info.bytesInOutput;
    }
    return { total: out.bytes, groups };
  } catch {
    return undefined;
  }
}

export const bundle: Area = async ({ root, scratch, runId }, log) => {
  log('production build + vsce package');
  const p = buildAndPackage(root, scratch, { vsix: true, runId });
  const text = fs.readFileSync(p.bundle);
  const GOAL_KB = 120;
  const rows: Metric[] = [
    single(
      A,
      'JavaScript loaded at activation: dist/extension.js (production)',
      Math.round(p.bundleBytes / 100) / 10,
      'KB',
      `goal ≤ ${GOAL_KB} KB: ${p.bundleBytes <= GOAL_KB * 1000 ? 'met' : 'not met'} (${fmt(p.bundleBytes / (GOAL_KB * 1000))}x the goal); ${p.bundleBytes} bytes; gzip ${KiB(gzipSync(text, { level: 9 }).length)} KiB; build ${Math.round(p.buildMs)} ms`,
    ),
  ];
  for (const [file, when] of [
    ['client.js', 'the API client and axios, loaded on the first request'],
    ['panelPage.js', "the panel's page, loaded when the panel opens"],
    ['records.js', 'Copy as cURL and export, loaded on first use'],
    ['demo.js', "the demo's simulator, loaded when the demo starts"],
    ['webview/panel.js', "the panel's webview script (src/webview/), loaded in the webview"],
    ['webview/jsonView.js', "the panel's JSON view, loaded in the webview"],
  ]) {
    // From the .vsix's staged files when there are (what ships), else from the production build.
    const f = path.join(p.staged ?? root, 'dist', file);
    const bytes = fs.existsSync(f) ? fs.statSync(f).size : undefined;
    rows.push(single(A, `dist/${file} (production), ${when}`, bytes === undefined ? null : Math.round(bytes / 100) / 10, 'KB', bytes === undefined ? 'n/a (not built)' : `${bytes} bytes`));
  }
  const comp = await composition(root);
  if (comp) {
    const entries = Object.entries(comp.groups).sort((a, b) => b[1] - a[1]);
    const share = (k: string): string => `${k} ${KiB(comp.groups[k] ?? 0)} KiB (${Math.round((100 * (comp.groups[k] ?? 0)) / comp.total)}%)`;
    const top = entries.slice(0, 4).map(([k]) => share(k)).join(', ');
    rows.push(single(A, 'dist/extension.js composition: src/ share', KiB(comp.groups['src/'] ?? 0), 'KiB', top, { groups: comp.groups, total: comp.total }));
  }
  if (p.vsixBytes !== undefined) {
    rows.push(
      single(A, '.vsix (vsce package --no-dependencies)', KiB(p.vsixBytes), 'KiB', `${p.vsixBytes} bytes; ${p.stagedFiles ?? '?'} files, ${KiB(p.stagedBytes ?? 0)} KiB unpacked; packaging ${Math.round(p.packageMs ?? 0)} ms${p.problem ? `; ${p.problem}` : ''}`),
    );
  } else {
    rows.push(single(A, '.vsix (vsce package --no-dependencies)', null, 'KiB', `n/a (${p.problem ?? 'not packaged'})`));
  }
  if (p.staged) {
    const media = path.join(p.staged, 'media');
    const mediaBytes = fs.existsSync(media) ? fs.readdirSync(media, { recursive: true }).map((f) => path.join(media, String(f))).filter((f) => fs.statSync(f).isFile()).reduce((n, f) => n + fs.statSync(f).size, 0) : 0;
    rows.push(single(A, 'media/ in the .vsix (CSS, icons, walkthrough)', KiB(mediaBytes), 'KiB', ''));
  }
  return rows;
};
