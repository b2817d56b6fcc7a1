// The import rules of src/ (issue 11), checked by `npm run lint`: `depcruise src --config .dependency-cruiser.js`.
// Imports point down. A file may import from its own folder and from any lower layer; never from a higher layer,
// never from a peer folder of its own layer. `import type` counts too: a reader follows it all the same.
// No circle anywhere in src/. Every file of src/ sits in a layer, so a new folder or top-level file is placed on
// purpose (add it to LAYERS). Each rule's name says the offending arrow; `err-long` prints the reason under it.

/** Lowest first. `dir` is a folder (`util/`) or a top-level file (`config.ts`) of src/. */
const LAYERS = [
  ['util/', 'demo/'],
  ['onelogin/'],
  ['connection/'],
  ['verification/'],
  ['records/'],
  ['config.ts', 'commandIds.ts'],
  // The vscode-free wiring sits below the UI: commands take it as their one handle on the working parts.
  ['app.ts'],
  ['panel/', 'sidebar/', 'statusBar/', 'webview/'],
  ['commands/'],
  ['extension.ts'],
];

/** The only arrows allowed between peers of a layer: the webview shares the panel's message protocol. */
const PEER_EXCEPTIONS = { 'webview/': { 'panel/': '^src/panel/(messages|protocol)\\.ts$' } };

/** Where `vscode` may be imported (value or type): the UI, the commands and activation. */
const VSCODE_ALLOWED = ['panel/', 'sidebar/', 'statusBar/', 'commands/', 'extension.ts'];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The path regex of one unit: a folder matches everything under it, a file only itself. */
const re = (dir) => (dir.endsWith('/') ? `^src/${esc(dir)}` : `^src/${esc(dir)}$`);
const VSCODE = '^vscode$|(^|/)node_modules/@types/vscode/';

const layered = [];
for (let from = 0; from < LAYERS.length; from++) {
  for (const a of LAYERS[from]) {
    // Upward: one rule per higher unit, so the name says both ends.
    for (let to = from + 1; to < LAYERS.length; to++) {
      for (const b of LAYERS[to]) {
        layered.push({
          name: `upward: ${a} -> ${b}`,
          comment: `src/${a} (layer ${from}) must not import from src/${b} (layer ${to}, a higher layer): imports point down.`,
          severity: 'error',
          from: { path: re(a) },
          to: { path: re(b) },
        });
      }
    }
    // Sideways: peers of one layer do not import each other.
    for (const b of LAYERS[from]) {
      if (b === a) continue;
      const allowed = PEER_EXCEPTIONS[a]?.[b];
      layered.push({
        name: `peer: ${a} -> ${b}`,
        comment:
          `src/${a} must not import from src/${b}: peers in layer ${from} do not import each other` +
          (allowed ? ` (allowed: ${allowed}, the shared message protocol).` : '.'),
        severity: 'error',
        from: { path: re(a) },
        to: allowed ? { path: re(b), pathNot: allowed } : { path: re(b) },
      });
    }
  }
}

const ANY_LAYER = LAYERS.flat().map(re);

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle in src/ (type-only imports count): break it by moving the shared part down a layer.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layered,
    {
      name: 'no-test-or-bench',
      comment: 'src/ must not import from test/ or bench/; only src/demo/ may use the simulator in test/mock-onelogin/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/', pathNot: '^test/mock-onelogin/' },
    },
    {
      name: 'no-test-outside-demo',
      comment: 'Only src/demo/ may import the simulator in test/mock-onelogin/.',
      severity: 'error',
      from: { path: '^src/', pathNot: re('demo/') },
      to: { path: '^test/mock-onelogin/' },
    },
    {
      name: 'no-vscode-below-ui',
      comment:
        `Only ${VSCODE_ALLOWED.map((d) => `src/${d}`).join(', ')} may import 'vscode' (type-only imports count): ` +
        'the layers below them and src/app.ts stay vscode-free (inject what they need).',
      severity: 'error',
      from: { path: '^src/', pathNot: VSCODE_ALLOWED.map(re) },
      to: { path: VSCODE },
    },
    {
      name: 'not-in-a-layer',
      comment: 'This file of src/ is in no layer: add its folder (or top-level file) to LAYERS in .dependency-cruiser.js.',
      severity: 'error',
      from: { path: '^src/', pathNot: ANY_LAYER },
      to: {},
    },
    {
      name: 'imports-a-file-in-no-layer',
      comment: 'The imported file of src/ is in no layer: add its folder (or top-level file) to LAYERS in .dependency-cruiser.js.',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: ANY_LAYER },
    },
    {
      name: 'orphan-in-no-layer',
      comment: 'This file of src/ is in no layer (and nothing imports it): add it to LAYERS in .dependency-cruiser.js.',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: ANY_LAYER },
      to: {},
    },
  ],
  options: {
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Only src/ is checked; test/ and bench/ are seen as targets but not followed into.
    doNotFollow: { path: ['node_modules', '^test/', '^bench/'] },
    moduleSystems: ['cjs', 'es6'],
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
