/**
 * No secret ends up in the output channel, the settings, or a command result (issue 4), in a real VS
 * Code: a session that uses every kind of credential and error runs first (so this file has something to
 * search when it runs alone), then everything those places hold is searched for every secret:
 *
 * - command results: every result any of the issue-4 integration files got in this run (helpers.run);
 * - what the user can see or copy: status bar text and tooltip, the panel's entries, exchanges, history
 *   (and the history as stored in globalState) and "Copy as cURL" of every exchange;
 * - settings: every onelogin-mfa setting at every level, and the settings files on disk;
 * - the output channel: the LogOutputChannel's file under the user-data-dir's logs folder (checked to hold
 *   this session's lines first, so the search cannot pass by reading the wrong file) and every other file
 *   VS Code wrote under the user-data-dir.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import {
  SECRETS,
  SECTION,
  SIM_OPTIONS,
  assertNoSecret,
  extensionLogFiles,
  filesUnder,
  hooks,
  recordedResults,
  resetAll,
  run,
  setSettings,
  statusPath,
  until,
  useToken,
  userDataDir,
  type VerificationResult,
} from './helpers';

const USER = '4003';

describe('integration/secrets: no secret in the output channel, the settings or a command result', function () {
  this.timeout(60_000);
  let sim: Simulator;
  /** Tokens the simulator minted for the client credentials: secrets too. */
  const minted = new Set<string>();

  before(async function () {
    await hooks();
    sim = await startSimulator(SIM_OPTIONS);
    sim.addUser(USER);
    sim.on('request', (r) => {
      const auth = String(r.headers.authorization ?? '');
      if (/^Bearer /.test(auth) && auth.slice(7) !== SECRETS.token && auth.slice(7) !== SECRETS.wrongToken) minted.add(auth.slice(7));
    });
    await setSettings({ baseUrl: sim.url, pollInterval: 1 });
  });

  after(async function () {
    await resetAll();
    await sim?.close();
  });

  const secrets = (): string[] => [...Object.values(SECRETS), ...minted];

  it('runs a session with every credential kind, an accepted poll and the error paths', async function () {
    const check = (id: string): Promise<VerificationResult> => run('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });

    await useToken();
    const accepted = sim.addVerification(USER, { id: 'secret-scan-accepted', settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'serverError' }] });
    assert.equal((await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: accepted })).state, 'accepted');
    sim.queueFault({ kind: 'rateLimited', retryAfter: '1' }, { path: statusPath(USER, accepted) });
    assert.equal((await check(accepted)).error?.kind, 'rateLimited');
    assert.equal((await check('secret-scan-unknown')).error?.kind, 'notFound');
    // A credential argument that is refused must not be echoed back.
    const refused = await run<{ stored: boolean }>('onelogin-mfa.setAccessToken', { accessToken: `${SECRETS.token} ${SECRETS.clientSecret}` });
    assert.equal(refused.stored, false);

    await useToken(SECRETS.wrongToken);
    assert.equal((await check(accepted)).error?.kind, 'auth');

    assert.equal((await run<{ stored: boolean }>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret })).stored, true);
    assert.equal((await check(accepted)).state, 'accepted');
    assert.equal(minted.size, 1, 'a token was minted with the client credentials');
    await run('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.wrongSecret });
    assert.equal((await check(accepted)).error?.kind, 'auth');

    await run('onelogin-mfa.clearCredentials');
    assert.equal((await check(accepted)).error?.code, 'NO_CREDENTIALS');
  });

  it('no command result holds a secret', function () {
    assert.ok(recordedResults.length >= 10, `results were recorded (${recordedResults.length})`);
    for (const r of recordedResults) assertNoSecret(r.json, `the result of ${r.command}`, secrets());
  });

  it('nothing the status bar or the panel shows or copies holds a secret', async function () {
    const h = await hooks();
    const views = JSON.stringify({ statusBar: h.statusBar(), entries: h.entries(), exchanges: h.exchanges(), history: h.history(), stored: h.storedHistory() });
    assert.match(views, /secret-scan-accepted/, 'the views hold this session');
    assertNoSecret(views, 'the status bar / panel views', secrets());
    const exchanges = h.exchanges();
    assert.ok(exchanges.some((e) => e.path === '/auth/oauth2/v2/token'), 'the token requests are among the exchanges');
    for (const e of exchanges) assertNoSecret((await h.curl(e.id)) ?? '', `"Copy as cURL" of ${e.method} ${e.path}`, secrets());
  });

  it('no setting holds a secret, at any level or in the settings files', function () {
    const config = vscode.workspace.getConfiguration(SECTION);
    const all = Object.keys(config).filter((k) => typeof (config as unknown as Record<string, unknown>)[k] !== 'function');
    const inspected = all.map((k) => config.inspect(k));
    assertNoSecret(JSON.stringify(inspected), 'the onelogin-mfa settings', secrets());
    const udd = userDataDir();
    if (!udd) return; // no /proc: the files cannot be found (the settings API was checked above)
    const file = path.join(udd, 'User', 'settings.json');
    if (fs.existsSync(file)) assertNoSecret(fs.readFileSync(file, 'utf8'), file, secrets());
  });

  it('the "OneLogin MFA" output channel, and every other file VS Code wrote, holds no secret', async function () {
    const udd = userDataDir();
    assert.ok(udd, 'the user-data-dir of this VS Code was found through /proc');
    // The log is written asynchronously: wait until it holds the last exchange of the session (the
    // refused client credentials), so the search reads this session's complete log.
    let log = '';
    await until(
      () => `this session's lines in ${extensionLogFiles(udd).join(', ') || 'any "OneLogin MFA.log" under ' + udd}`,
      () => {
        const files = extensionLogFiles(udd);
        log = files.length ? fs.readFileSync(files[files.length - 1], 'utf8') : '';
        return /Credentials cleared from secret storage/.test(log.slice(log.lastIndexOf('/auth/oauth2/v2/token')));
      },
      15_000,
    );
    assert.match(log, /GET http:\/\/127\.0\.0\.1:\d+\/api\/2\/mfa\/users\/4003\/verifications\/secret-scan-accepted → 200/);
    assert.match(log, /POST http:\/\/127\.0\.0\.1:\d+\/auth\/oauth2\/v2\/token → 401/);
    assertNoSecret(log, 'the "OneLogin MFA" log', secrets());

    // Control: the search finds a secret where there is one (so it cannot pass by not looking).
    assert.throws(() => assertNoSecret(`"auth":"Bearer ${SECRETS.token}"`, 'control', secrets()), /a secret \(…/);
    assert.throws(() => assertNoSecret(JSON.stringify({ s: `a"${SECRETS.clientSecret}` }), 'control', secrets()), /a secret \(…/);

    const files = filesUnder(udd);
    assert.ok(files.some((f) => f.endsWith(`${path.sep}settings.json`)), 'the settings files are among the files searched');
    for (const file of files) {
      const text = fs.readFileSync(file).toString('latin1');
      assertNoSecret(text, path.relative(udd, file), secrets());
    }
  });
});
