/**
 * Every command of issue 3, run with arguments inside a real VS Code extension host against the
 * OneLogin simulator (real HTTP on 127.0.0.1, started here): credentials in the real SecretStorage,
 * check, poll to accepted / rejected / expired, stop, the panel, and settings changed while the
 * extension runs. Asserted on what the commands return, what the simulator received, and what the
 * status bar and the panel show (the test hooks activate() returns in ExtensionMode.Test).
 *
 * Each test starts from a clean state (resetAll in afterEach: polls stopped, credentials cleared,
 * settings back to defaults), so the files run in any order. No fixed sleeps: every wait is on a
 * condition (simulator requests, command promises, status bar text).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import {
  SECRETS,
  SIM_OPTIONS,
  entryOf,
  hooks,
  resetAll,
  run,
  setSettings,
  statusGets,
  statusPath,
  until,
  useToken,
  type CredentialsResult,
  type VerificationResult,
} from './helpers';

const USER = '4001';

describe('integration/commands: every command with arguments, against the simulator', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let h: TestHooks;

  before(async function () {
    h = await hooks();
    sim = await startSimulator(SIM_OPTIONS);
    sim.addUser(USER);
  });

  beforeEach(async function () {
    sim.clearRequests();
    await setSettings({ baseUrl: sim.url, pollInterval: 1 });
  });

  afterEach(async function () {
    await resetAll();
  });

  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sim?.close();
  });

  const statusBarText = (): string => h.statusBar()?.text ?? '';

  it('setAccessToken stores the token, check sends it as the Bearer token, clearCredentials removes it', async function () {
    await useToken();
    const id = sim.addVerification(USER);
    const checked = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(checked.state, 'pending', JSON.stringify(checked));
    const [get] = statusGets(sim, USER, id);
    assert.ok(get, 'the check reached the simulator');
    assert.equal(get.headers.authorization, `Bearer ${SECRETS.token}`);

    assert.deepEqual(await run('onelogin-mfa.clearCredentials'), { cleared: true });
    assert.deepEqual(await run('onelogin-mfa.clearCredentials'), { cleared: false }, 'nothing is left after a clear');
    const after = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(after.state, 'error');
    assert.equal(after.error?.code, 'NO_CREDENTIALS');
    assert.equal(statusGets(sim, USER, id).length, 1, 'without credentials nothing is sent');
  });

  it('setClientCredentials replaces the token: a token is minted with the id and secret, and used', async function () {
    await useToken();
    const stored = await run<CredentialsResult>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
    assert.deepEqual(stored, { stored: true, kind: 'clientCredentials' });

    const id = sim.addVerification(USER, { status: 'accepted' });
    const checked = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(checked.state, 'accepted', JSON.stringify(checked));

    const mint = sim.requests.filter((r) => r.method === 'POST' && r.path === '/auth/oauth2/v2/token');
    assert.equal(mint.length, 1, 'one token request');
    assert.equal(mint[0].headers.authorization, `client_id:${SECRETS.clientId}, client_secret:${SECRETS.clientSecret}`);
    assert.deepEqual(JSON.parse(mint[0].body), { grant_type: 'client_credentials' });
    assert.equal(mint[0].status, 200);
    const [get] = statusGets(sim, USER, id);
    assert.match(String(get.headers.authorization), /^Bearer \S+$/);
    assert.notEqual(get.headers.authorization, `Bearer ${SECRETS.token}`, 'the replaced access token is not used any more');
    assert.ok(mint[0].at <= get.at, 'the token was minted before the status request');
  });

  it('refuses credential arguments that cannot be credentials, and keeps the stored ones', async function () {
    await useToken();
    const spaced = await run<CredentialsResult>('onelogin-mfa.setAccessToken', { accessToken: 'two words' });
    assert.equal(spaced.stored, false);
    assert.deepEqual(spaced.error, {
      kind: 'invalidInput',
      code: 'INVALID_ARGUMENT',
      message: 'The access token contains spaces or control characters; paste it again without them.',
    });
    const empty = await run<CredentialsResult>('onelogin-mfa.setAccessToken', { accessToken: '' });
    assert.equal(empty.error?.message, 'The access token is empty.');
    const noSecret = await run<CredentialsResult>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId });
    assert.equal(noSecret.stored, false);
    assert.equal(noSecret.error?.message, 'The client secret is empty.');

    const id = sim.addVerification(USER);
    await run('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(statusGets(sim, USER, id)[0]?.headers.authorization, `Bearer ${SECRETS.token}`, 'the stored token is unchanged');
  });

  it('checkVerification makes exactly one GET and returns the status the simulator sent', async function () {
    await useToken();
    for (const status of ['pending', 'accepted', 'rejected'] as const) {
      const id = sim.addVerification(USER, { status });
      const r = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
      assert.deepEqual(r, {
        state: status,
        status,
        httpStatus: 200,
        userId: USER,
        verificationId: id,
        deviceId: sim.getVerification(USER, id)?.deviceId,
      });
      assert.equal(statusGets(sim, USER, id).length, 1, `one GET for the ${status} one`);
      const entry = entryOf(h, USER, id);
      assert.equal(entry?.phase, status);
      assert.equal(entry?.polling, false, 'a check does not poll');
      assert.match(statusBarText(), new RegExp(`MFA ${status}`));
    }
    assert.equal(sim.requests.filter((r) => r.method !== 'GET').length, 0, 'a check never POSTs (no second push)');
  });

  it('pollVerification polls until accepted; the status bar goes pending -> accepted', async function () {
    await useToken();
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 3 } });
    const polled = run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id });

    await sim.waitForRequests((r) => r.path === statusPath(USER, id), 1);
    await until(() => `pending in the status bar (have "${statusBarText()}")`, () => /MFA pending \d+s/.test(statusBarText()));
    assert.equal(entryOf(h, USER, id)?.polling, true);

    const r = await polled;
    assert.equal(r.state, 'accepted', JSON.stringify(r));
    assert.equal(r.status, 'accepted');
    assert.equal(r.httpStatus, 200);
    assert.equal(r.attempt, 3);
    assert.equal(r.deviceId, sim.getVerification(USER, id)?.deviceId);
    assert.equal(statusGets(sim, USER, id).length, 3, 'polling stopped on the answer');
    assert.match(statusBarText(), /MFA accepted/);
    assert.equal(h.statusBar()?.background, undefined);
    assert.equal(entryOf(h, USER, id)?.polling, false);
    assert.equal(entryOf(h, USER, id)?.phase, 'accepted');
  });

  it('pollVerification ends "rejected" when the user denies; the status bar turns red', async function () {
    await useToken();
    const id = sim.addVerification(USER, { settle: { to: 'rejected', afterPolls: 2 } });
    const r = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id });
    assert.equal(r.state, 'rejected', JSON.stringify(r));
    assert.equal(r.status, 'rejected');
    assert.equal(r.attempt, 2);
    assert.equal(statusGets(sim, USER, id).length, 2);
    assert.match(statusBarText(), /MFA rejected/);
    assert.equal(h.statusBar()?.background, 'error');
  });

  it('pollVerification ends "expired" at expiresAt (ISO date) when nobody answers', async function () {
    await useToken();
    const id = sim.addVerification(USER); // never settles
    const expiresAt = new Date(Date.now() + 2_500).toISOString();
    const r = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id, expiresAt });
    assert.equal(r.state, 'expired', JSON.stringify(r));
    assert.equal(r.status, 'pending', 'OneLogin still said pending');
    assert.equal(r.expiresAt, Date.parse(expiresAt));
    assert.ok((r.attempt ?? 0) >= 2, `several checks before expiry (${r.attempt})`);
    assert.ok(Date.now() >= Date.parse(expiresAt), 'not before the deadline');
    assert.equal(statusGets(sim, USER, id).length, r.attempt, 'one GET per attempt, none after expiry');
    assert.match(statusBarText(), /MFA expired/);
    assert.equal(h.statusBar()?.background, 'warning');
    assert.equal(entryOf(h, USER, id)?.polling, false);
  });

  it('a second pollVerification of the same verification joins the running poll (no second loop)', async function () {
    await useToken();
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 3 } });
    const first = run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id });
    await sim.waitForRequests((r) => r.path === statusPath(USER, id), 1);
    const second = run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id });
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.state, 'accepted');
    assert.deepEqual(b, a, 'both callers get the same final result');
    assert.equal(statusGets(sim, USER, id).length, 3, 'one loop: three GETs, not more');
  });

  it('stopPolling stops the matching poll (its caller gets "cancelled") and leaves the others running', async function () {
    await useToken();
    const a = sim.addVerification(USER);
    const b = sim.addVerification(USER);
    const pollA = run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: a });
    const startedB = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: b, wait: false });
    assert.equal(startedB.state, 'pending', 'wait:false returns as soon as the poll started');
    await sim.waitForRequests((r) => r.path === statusPath(USER, a), 1);

    assert.deepEqual(await run('onelogin-mfa.stopPolling', { verificationId: a }), { stopped: 1 });
    const stoppedA = await pollA;
    assert.equal(stoppedA.state, 'cancelled', JSON.stringify(stoppedA));
    assert.equal(entryOf(h, USER, a)?.polling, false);
    const getsOfA = statusGets(sim, USER, a).length;

    // b goes on (two more of its checks, i.e. at least one poll interval), a sends nothing more.
    const seenB = statusGets(sim, USER, b).length;
    await sim.waitForRequests((r) => r.path === statusPath(USER, b), seenB + 2);
    assert.equal(statusGets(sim, USER, a).length, getsOfA, 'a stopped poll sends nothing more');
    assert.equal(entryOf(h, USER, b)?.polling, true);

    assert.deepEqual(await run('onelogin-mfa.stopPolling'), { stopped: 1 }, 'no argument: every poll (b)');
    assert.deepEqual(await run('onelogin-mfa.stopPolling'), { stopped: 0 });
    const bad = await run<{ stopped: number; error?: { kind: string; code?: string } }>('onelogin-mfa.stopPolling', { verificationId: '../etc' });
    assert.equal(bad.stopped, 0);
    assert.equal(bad.error?.kind, 'invalidInput');
    assert.equal(bad.error?.code, 'INVALID_ID');
  });

  it('showPanel opens the panel, and the panel receives every exchange', async function () {
    await useToken();
    assert.deepEqual(await run('onelogin-mfa.showPanel'), { visible: true });
    await until('the panel to open', () => h.panel().open);
    const posted = h.panel().posted;
    const id = sim.addVerification(USER, { status: 'accepted' });
    await run('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    await until('a message to the panel', () => h.panel().posted > posted);
    const ex = h.exchanges().filter((e) => e.path === statusPath(USER, id));
    assert.equal(ex.length, 1, JSON.stringify(h.exchanges().slice(-3)));
    assert.equal(ex[0].method, 'GET');
    assert.equal(ex[0].status, 200);
  });
});

describe('integration/commands: settings changed while the extension runs apply at once', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let other: Simulator;
  let h: TestHooks;

  before(async function () {
    h = await hooks();
    sim = await startSimulator(SIM_OPTIONS);
    other = await startSimulator(SIM_OPTIONS);
  });

  beforeEach(async function () {
    sim.clearRequests();
    other.clearRequests();
    await setSettings({ baseUrl: sim.url, pollInterval: 1 });
    await useToken();
  });

  afterEach(async function () {
    await resetAll();
  });

  after(async function () {
    await sim?.close();
    await other?.close();
  });

  it('baseUrl: the next request goes to the new address, without a reload', async function () {
    const here = sim.addVerification(USER, { id: 'moving-1', status: 'pending' });
    const there = other.addVerification(USER, { id: 'moving-1', status: 'accepted' });
    const first = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: here });
    assert.equal(first.status, 'pending');
    await setSettings({ baseUrl: other.url });
    const second = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: there });
    assert.equal(second.status, 'accepted', 'answered by the second simulator');
    assert.equal(statusGets(sim, USER, here).length, 1);
    assert.equal(statusGets(other, USER, there).length, 1);
  });

  it('timeout: a new poll gives up after the configured time', async function () {
    for (const seconds of [10, 30]) {
      await setSettings({ timeout: seconds });
      const id = sim.addVerification(USER);
      const before = Date.now();
      const r = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id, wait: false });
      const after = Date.now();
      assert.equal(r.state, 'pending');
      const expiresAt = r.expiresAt ?? 0;
      assert.ok(expiresAt >= before + seconds * 1000 && expiresAt <= after + seconds * 1000, `deadline ${expiresAt - before} ms after start, want ${seconds} s`);
      await run('onelogin-mfa.stopPolling', { verificationId: id });
    }
  });

  it('pollInterval: the next check is scheduled one interval (±10% jitter) after the last one was sent, not after its reply', async function () {
    for (const seconds of [3, 1]) {
      await setSettings({ pollInterval: seconds });
      const id = sim.addVerification(USER);
      // A slow first reply (30% of the interval): counted from the reply, the next check would come that much later.
      const slowMs = seconds * 300;
      sim.queueFault({ kind: 'slow', delayMs: slowMs }, { method: 'GET', path: statusPath(USER, id) });
      await run('onelogin-mfa.pollVerification', { userId: USER, verificationId: id, wait: false });
      await until('the first check to be answered and the next one scheduled', () => entryOf(h, USER, id)?.nextCheckAt !== undefined);
      const e = entryOf(h, USER, id);
      const [first] = statusGets(sim, USER, id);
      assert.equal(e?.attempt, 1, 'still the first check');
      assert.ok(first && (e?.lastCheckedAt ?? 0) - first.at >= slowMs, 'the first reply was slow');
      // From the simulator's receipt of the first request (a few ms after it was sent) to the planned next one.
      const delay = (e?.nextCheckAt ?? 0) - first.at;
      assert.ok(delay >= seconds * 900 - 100 && delay <= seconds * 1100, `next check ${delay} ms after the last request, want ${seconds} s ±10%`);
      await until('the next check to be sent', () => statusGets(sim, USER, id).length >= 2);
      const gap = statusGets(sim, USER, id)[1].at - first.at;
      assert.ok(gap >= seconds * 900 - 100, `second request ${gap} ms after the first, not before ${seconds} s -10%`);
      await run('onelogin-mfa.stopPolling', { verificationId: id });
    }
  });

  it('requestTimeout: a reply slower than the setting is a timeout; a longer setting waits for it', async function () {
    const id = sim.addVerification(USER);
    await setSettings({ requestTimeout: 1 });
    sim.queueFault({ kind: 'slow', delayMs: 2_000 }, { method: 'GET', path: statusPath(USER, id) });
    const slow = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(slow.state, 'error');
    assert.equal(slow.error?.kind, 'timeout');
    assert.equal(
      slow.error?.message,
      `OneLogin (${sim.url}) did not answer GET ${statusPath(USER, id)} within 1 s. Check the network, or allow more time with the request timeout setting.`,
    );

    await setSettings({ requestTimeout: 5 });
    sim.queueFault({ kind: 'slow', delayMs: 2_000 }, { method: 'GET', path: statusPath(USER, id) });
    const patient = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(patient.state, 'pending', JSON.stringify(patient));
  });
});
