/**
 * The hostile suite's "inside real VS Code" cases (the plain-Node layer is test/hostile/):
 *  - a workspace `.vscode/settings.json` that sets `onelogin-mfa.baseUrl` is ignored: the token never leaves
 *    for the workspace-chosen host (needs a folder open in the test window; skipped, saying so, without one);
 *  - a session against a server that echoes every secret it receives: command results, the test hooks'
 *    view of the status bar and the panel entries, and an exported HAR/JSON file carry none of them;
 *  - at the very end of the whole integration run (a root `after` hook, so every other integration file has
 *    run too): every file the test host wrote — user data (logs, the extension's log channel, globalState
 *    database, settings), this run's folder (server log, TMPDIR), `test-artifacts/` and exported files — is
 *    searched for the test secrets, as is and as spelled in JSON. $HOSTILE_SCAN_DIRS (path-list) adds folders.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';
const SECTION = 'onelogin-mfa';
const SECRETS = {
  accessToken: 'ITEST-HOSTILE-AT-5e0f1a2b3c4d5e6f708192a3b4c5d6e7',
  clientId: 'ITEST-HOSTILE-CID-9f8e7d6c5b4a3921',
  clientSecret: 'ITEST-HOSTILE-SECRET-1a2b3c4d5e6f7a8b9c0d1e2f',
  minted: 'ITEST-HOSTILE-MINTED-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
};
/** Secrets of the other integration files, searched for too (a full run is scanned). */
const OTHER_SECRETS = ['itest-workflow-token-0123456789'];
const OTHER_PATTERNS = [/itest-\d{13}-ABCD1234/];

/** Every secret and Authorization value the run used; filled as servers see requests. */
const secrets = new Set<string>([...Object.values(SECRETS), ...OTHER_SECRETS]);
/** Files written by exports in this file, scanned at the end. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'onelogin-mfa-hostile-'));
let lastRequestId = '';

const run = <T>(command: string, arg?: unknown): Thenable<T> => vscode.commands.executeCommand<T>(command, arg);

async function until(what: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function forms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, escaped, escaped.replace(/\//g, '\\/')])];
}

function leaks(text: string): string[] {
  const found = [...secrets].filter((s) => forms(s).some((f) => text.includes(f)));
  for (const p of OTHER_PATTERNS) if (p.test(text)) found.push(String(p));
  return found;
}

function harvest(auth: string | undefined): void {
  if (!auth) return;
  secrets.add(auth);
  const bearer = /^Bearer (\S+)$/.exec(auth);
  if (bearer) secrets.add(bearer[1]);
}

/** A OneLogin stand-in that reflects every credential it receives in bodies, headers and error messages. */
async function echoServer(): Promise<{ url: string; close(): Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    harvest(auth);
    const token = /^Bearer (\S+)/.exec(auth)?.[1] ?? '';
    lastRequestId = `hostile-echo-${Date.now()}-${++n}`;
    const headers = { 'content-type': 'application/json', 'x-request-id': lastRequestId, 'x-echo-auth': auth, 'www-authenticate': `Bearer realm="${token}"` };
    const echo = { your_authorization: auth, your_token: token, note: `got ${auth}` };
    req.resume();
    req.on('end', () => {
      if (req.url === '/auth/oauth2/v2/token') res.writeHead(200, headers).end(JSON.stringify({ access_token: SECRETS.minted, expires_in: 36000, ...echo }));
      else if (req.url?.endsWith('/verifications/echo-pending')) res.writeHead(200, headers).end(JSON.stringify([{ id: 'echo-pending', status: 'pending', device_id: '1', ...echo }]));
      else if (req.url?.endsWith('/verifications/echo-accepted')) res.writeHead(200, headers).end(JSON.stringify([{ id: 'echo-accepted', status: 'accepted', device_id: '1', ...echo }]));
      else res.writeHead(403, headers).end(JSON.stringify({ status: { error: true, code: 403, type: 'Forbidden', message: `token ${token} refused (${auth})` } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function extension(): vscode.Extension<TestHooks | undefined> {
  const ext = vscode.extensions.getExtension<TestHooks | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext;
}

describe('hostile: inside a real extension host', function () {
  this.timeout(60_000);
  let hooks: TestHooks;

  before(async () => {
    const exported = await extension().activate();
    assert.ok(exported, 'activate() returns the test hooks in ExtensionMode.Test');
    hooks = exported;
  });

  after(async () => {
    await run('onelogin-mfa.stopPolling');
    await vscode.workspace.getConfiguration(SECTION).update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await run('onelogin-mfa.clearCredentials');
  });

  describe('a workspace that sets the API host', () => {
    let legit: Simulator;
    let attacker: Simulator;
    let settingsFile: string | undefined;
    let previous: string | undefined;

    before(async function () {
      const folder = vscode.workspace.workspaceFolders?.[0];
      // A test window without a folder cannot have workspace settings: nothing to test there.
      if (!folder || folder.uri.scheme !== 'file') this.skip();
      legit = await startSimulator({ accessTokens: [SECRETS.accessToken] });
      attacker = await startSimulator({ accessTokens: [SECRETS.accessToken] });
      for (const sim of [legit, attacker]) sim.on('request', (r) => harvest(String(r.headers.authorization ?? '')));
      await vscode.workspace.getConfiguration(SECTION).update('baseUrl', legit.url, vscode.ConfigurationTarget.Global);
      assert.deepEqual(await run('onelogin-mfa.setAccessToken', { accessToken: SECRETS.accessToken }), { stored: true, kind: 'accessToken' });
      // What a cloned repository would carry. pollInterval (window scope, allowed in a workspace) shows when VS Code has read the file.
      settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
      previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
      fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
      fs.writeFileSync(settingsFile, JSON.stringify({ 'onelogin-mfa.baseUrl': attacker.url, 'onelogin-mfa.pollInterval': 7 }, null, 2));
      await until('VS Code to read the workspace settings', () => vscode.workspace.getConfiguration(SECTION).inspect<number>('pollInterval')?.workspaceValue === 7);
      await new Promise((r) => setTimeout(r, 300)); // SecretStorage's change event resets the client
    });

    after(async () => {
      if (settingsFile) {
        if (previous === undefined) fs.rmSync(settingsFile, { force: true });
        else fs.writeFileSync(settingsFile, previous);
      }
      await legit?.close();
      await attacker?.close();
    });

    it('Check Verification goes to the user-set host; the workspace-chosen host gets nothing', async () => {
      const id = legit.addVerification('4001', { status: 'accepted' });
      attacker.addVerification('4001', { id, status: 'accepted' });
      const r = await run<{ state: string }>('onelogin-mfa.checkVerification', { userId: '4001', verificationId: id });
      assert.equal(r.state, 'accepted', JSON.stringify(r));
      assert.equal(legit.requests.length, 1);
      assert.equal(attacker.requests.length, 0, 'the token went to the workspace-chosen host');
    });

    it('the Settings API cannot write the host into the workspace either (or the value is ignored)', async () => {
      const id = legit.addVerification('4002', { status: 'rejected' });
      attacker.addVerification('4002', { id, status: 'accepted' });
      try {
        await vscode.workspace.getConfiguration(SECTION).update('baseUrl', attacker.url, vscode.ConfigurationTarget.Workspace);
      } catch {
        // Expected: an application-scoped setting cannot be written to workspace settings.
      }
      const r = await run<{ state: string }>('onelogin-mfa.checkVerification', { userId: '4002', verificationId: id });
      assert.equal(r.state, 'rejected', 'answered by the user-set host');
      assert.equal(attacker.requests.length, 0);
    });
  });

  describe('a server that echoes the secrets back', () => {
    let echo: Awaited<ReturnType<typeof echoServer>>;

    before(async () => {
      echo = await echoServer();
      await vscode.workspace.getConfiguration(SECTION).update('baseUrl', echo.url, vscode.ConfigurationTarget.Global);
      const stored = await run<{ stored: boolean }>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
      assert.equal(stored.stored, true);
      await new Promise((r) => setTimeout(r, 300));
    });
    after(() => echo?.close());

    it('command results, status bar, panel entries and exported files carry no secret', async () => {
      const results: unknown[] = [
        await run('onelogin-mfa.checkVerification', { userId: '5001', verificationId: 'echo-pending' }),
        await run('onelogin-mfa.checkVerification', { userId: '5001', verificationId: 'echo-refused' }),
        await run('onelogin-mfa.pollVerification', { userId: '5001', verificationId: 'echo-accepted' }),
      ];
      assert.equal((results[0] as { state: string }).state, 'pending');
      assert.equal((results[1] as { error?: { kind: string } }).error?.kind, 'forbidden');
      assert.equal((results[2] as { state: string }).state, 'accepted');
      await run('onelogin-mfa.showPanel');
      const outputs: [string, string][] = [
        ['command results', JSON.stringify(results)],
        ['status bar', JSON.stringify(hooks.statusBar())],
        ['panel entries', JSON.stringify(hooks.entries())],
      ];
      for (const format of ['json', 'har']) {
        const file = path.join(scratch, `export.${format}`);
        const written = await run<{ written?: boolean }>('onelogin-mfa.exportLog', { format, uri: file });
        if (written?.written) outputs.push([`exported ${format}`, fs.readFileSync(file, 'utf8')]);
      }
      for (const [where, text] of outputs) assert.deepEqual(leaks(text), [], `${where} carry a secret`);
      assert.ok(secrets.has(`client_id:${SECRETS.clientId}, client_secret:${SECRETS.clientSecret}`), 'the echo server saw the credentials (the test is live)');
    });
  });
});

// ---------------------------------------------------------------- the scan, after every integration file

const SKIP_DIRS = new Set(['node_modules', 'extensions', 'CachedExtensionVSIXs', 'CachedData', 'CachedProfilesData']);
/** Where browsers keep site data: code-server's SecretStorage lives in the browser profile, by design. */
const BROWSER_PROFILE = /[\\/](Local Storage|IndexedDB|Session Storage|Service Worker|playwright[^\\/]*)([\\/]|$)/i;

function* files(dir: string): Generator<string> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.isSymbolicLink()) yield* files(full);
    else if (e.isFile()) yield full;
  }
}

after(async function () {
  this.timeout(120_000);
  const root = extension().extensionPath;
  const dirs = [
    ...(process.env.HOSTILE_SCAN_DIRS ?? '').split(path.delimiter).filter(Boolean),
    path.join(root, '.vscode-test', 'user-data-integration'),
    // This run's folder only (code-server's server log, XDG dirs, TMPDIR): the extension host's TMPDIR is
    // <run>/t. Other runs (say, an e2e suite running at the same time) are not this host's doing.
    ...(path.resolve(os.tmpdir()).startsWith(path.join(root, '.vscode-test', 'runs') + path.sep) ? [path.dirname(path.resolve(os.tmpdir()))] : []),
    path.join(root, 'test-artifacts'),
    scratch,
    ...(vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => path.join(f.uri.fsPath, '.vscode')),
  ]
    .filter((d) => fs.existsSync(d))
    .map((d) => path.resolve(d))
    .filter((d, i, all) => !all.some((o, j) => j !== i && (d.startsWith(o + path.sep) || (d === o && j < i)))); // each file once
  assert.ok(dirs.some((d) => d.includes('user-data') || process.env.HOSTILE_SCAN_DIRS), `no user-data folder found to scan (looked under ${root}/.vscode-test); set HOSTILE_SCAN_DIRS`);

  // The log channel writes asynchronously: wait until the last echo request's id reached some log file.
  const logs = (): string[] => dirs.flatMap((d) => [...files(d)]).filter((f) => /^OneLogin MFA.*\.log$/.test(path.basename(f)));
  if (lastRequestId) {
    await until(`the extension's log to mention ${lastRequestId}`, () => logs().some((f) => fs.readFileSync(f, 'utf8').includes(lastRequestId)), 15_000).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; log files seen: ${logs().join(', ') || 'none'}`);
    });
  }

  // Control: a planted file must be found, so a scan that reads nothing cannot pass.
  const planted = path.join(scratch, 'planted-control.json');
  fs.writeFileSync(planted, JSON.stringify({ leaked: `x${SECRETS.clientSecret}"y` }));
  const logFiles = logs();

  const hits: string[] = [];
  const browserStorage: string[] = [];
  let scanned = 0;
  let bytes = 0;
  for (const dir of dirs) {
    for (const file of files(dir)) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch {
        continue;
      }
      if (stat.size > 64 * 1024 * 1024) continue;
      const text = fs.readFileSync(file).toString('latin1');
      scanned++;
      bytes += text.length;
      const found = leaks(text);
      if (found.length === 0) continue;
      if (BROWSER_PROFILE.test(file)) browserStorage.push(path.relative(root, file));
      else hits.push(`${path.relative(root, file)}: ${found.map((s) => `${s.slice(0, 14)}…`).join(', ')}`);
    }
  }
  const control = path.relative(root, planted);
  assert.ok(hits.some((h) => h.startsWith(control)), 'the planted control secret was not found: the scan does not read what it should');
  for (let i = hits.length - 1; i >= 0; i--) if (hits[i].startsWith(control)) hits.splice(i, 1);
  assert.ok(logFiles.length > 0, 'the extension\'s log file was not among the scanned files');
  console.log(`[hostile] the extension's log: ${logFiles.map((f) => path.relative(root, f)).join(', ') || 'none found'}`);
  console.log(`[hostile] scanned ${scanned} files (${(bytes / 1e6).toFixed(1)} MB) in ${dirs.map((d) => path.relative(root, d) || d).join(', ')} for ${secrets.size} secrets`);
  if (browserStorage.length) console.log(`[hostile] secrets in the browser profile (SecretStorage, by design in code-server): ${browserStorage.join(', ')}`);
  fs.rmSync(scratch, { recursive: true, force: true });
  assert.deepEqual(hits, [], 'a test secret was written to disk outside SecretStorage');
});
