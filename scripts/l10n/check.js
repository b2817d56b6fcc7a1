#!/usr/bin/env node
/**
 * Fails when l10n/bundle.l10n.json is not what `npm run l10n` (@vscode/l10n-dev export) makes from the
 * sources today: it exports to a temporary folder and compares. Plain JS (runs before anything is
 * compiled). Exit 0 when current, 1 with the difference otherwise.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const committed = path.join(root, 'l10n', 'bundle.l10n.json');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onelogin-mfa-l10n-'));
try {
  const cli = require.resolve('@vscode/l10n-dev/dist/cli.js', { paths: [root] });
  const r = spawnSync(process.execPath, [cli, 'export', '--outDir', tmp, path.join(root, 'src')], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`l10n-dev export failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  const fresh = JSON.parse(fs.readFileSync(path.join(tmp, 'bundle.l10n.json'), 'utf8'));
  const current = fs.existsSync(committed) ? JSON.parse(fs.readFileSync(committed, 'utf8')) : {};
  const missing = Object.keys(fresh).filter((k) => !(k in current));
  const stale = Object.keys(current).filter((k) => !(k in fresh));
  const changed = Object.keys(fresh).filter((k) => k in current && current[k] !== fresh[k]);
  if (missing.length + stale.length + changed.length === 0) {
    console.log(`l10n/bundle.l10n.json is current (${Object.keys(fresh).length} strings).`);
  } else {
    const list = (title, keys) => (keys.length ? `${title}:\n${keys.map((k) => `  ${JSON.stringify(k)}`).join('\n')}\n` : '');
    console.error(`l10n/bundle.l10n.json is out of date: run \`npm run l10n\` and commit it.\n${list('missing', missing)}${list('no longer in the sources', stale)}${list('changed', changed)}`);
    process.exit(1);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
