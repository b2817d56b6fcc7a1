#!/usr/bin/env node
// @ts-check
/**
 * Runs the integration suite (out/test/integration/index.js) in a real VS Code through
 * @vscode/test-electron's runTests: desktop VS Code where it can be downloaded and shown, else
 * code-server + headless Chromium via scripts/test-host/code-server-host.js (see choose.js).
 * Compile first: `npm run test:integration` does (npm run build && tsc -p .).
 * Extra arguments are passed to VS Code. Without a folder among them, a fresh empty workspace folder is
 * opened, so tests about workspace settings (a workspace must not redirect the token) have one.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');
const { chooseHost, CODE_SERVER_HOST } = require('./choose.js');

const ROOT = path.resolve(__dirname, '..', '..');

async function main() {
  const extensionTestsPath = path.join(ROOT, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(extensionTestsPath)) throw new Error(`${extensionTestsPath} is missing: compile first (tsc -p .)`);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'extension.js'))) throw new Error('dist/extension.js is missing: build first (npm run build)');
  const host = await chooseHost();
  // A fresh profile each run, inside the ignored .vscode-test/ folder.
  const userDataDir = path.join(ROOT, '.vscode-test', 'user-data-integration');
  fs.rmSync(userDataDir, { recursive: true, force: true });
  const extraArgs = process.argv.slice(2);
  // A throwaway workspace folder, unless the caller named one.
  const workspace = path.join(ROOT, '.vscode-test', 'workspace-integration');
  const openFolder = !extraArgs.some((a) => !a.startsWith('-'));
  if (openFolder) {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.mkdirSync(workspace, { recursive: true });
  }
  const started = Date.now();
  console.log(`[integration] VS Code host: ${host}`);
  // Test CAs for test/integration/network.test.ts: NODE_EXTRA_CA_CERTS must be in VS Code's environment
  // when it starts (see scripts/test-host/networkTrust.ts).
  const pkiDir = path.join(ROOT, '.vscode-test', 'pki-integration');
  const { prepareNetworkTrust } = require(path.join(ROOT, 'out', 'scripts', 'test-host', 'networkTrust.js'));
  /** @type {Parameters<typeof runTests>[0]} */
  const options = {
    extensionDevelopmentPath: ROOT,
    extensionTestsPath,
    launchArgs: ['--disable-extensions', `--user-data-dir=${userDataDir}`, ...extraArgs, ...(openFolder ? [workspace] : [])],
    extensionTestsEnv: prepareNetworkTrust(pkiDir),
  };
  if (host === 'code-server') options.vscodeExecutablePath = CODE_SERVER_HOST;
  try {
    await runTests(options);
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    fs.rmSync(pkiDir, { recursive: true, force: true });
    if (openFolder) fs.rmSync(workspace, { recursive: true, force: true });
    console.log(`[integration] ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().catch((e) => {
  console.error(`[integration] ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
