/**
 * The whole verification workflow inside a real VS Code extension host, against the OneLogin simulator
 * (real HTTP on 127.0.0.1, started here in the extension host): send a verification and watch it
 * settle, the refusal of a second push while one is pending, the one-time-code fallback, the device
 * list, the exchange log export, "Copy as cURL", the rate-limit gauge and the history kept in
 * globalState. Asserted through command results and the test hooks activate() returns in test mode.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';
const TOKEN = 'itest-workflow-token-0123456789';
const SECTION = 'onelogin-mfa';

interface TriggerResult {
  state: string;
  userId: string;
  deviceId?: string;
  verificationId?: string;
  expiresAt?: number;
  serverExpiresAt?: string;
  deadlineSource?: string;
  attempt?: number;
  factor?: string;
  acceptsCode?: boolean;
  error?: { kind: string; code?: string; message: string };
}

interface OtpResult {
  accepted: boolean;
  state: string;
  userId: string;
  verificationId: string;
  httpStatus?: number;
  error?: { code?: string; message: string };
}

const run = <T>(command: string, arg?: unknown): Thenable<T> => vscode.commands.executeCommand<T>(command, arg);

async function until(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('workflow: send, watch, fall back to OTP (real extension host + simulator)', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let hooks: TestHooks;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onelogin-mfa-itest-'));

  before(async function () {
    const ext = vscode.extensions.getExtension<TestHooks | undefined>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const exported = await ext.activate();
    assert.ok(exported, 'activate() returns the test hooks in ExtensionMode.Test');
    hooks = exported;
    sim = await startSimulator({ accessTokens: [TOKEN] });
    const config = vscode.workspace.getConfiguration(SECTION);
    await config.update('baseUrl', sim.url, vscode.ConfigurationTarget.Global);
    await config.update('pollInterval', 1, vscode.ConfigurationTarget.Global);
    await config.update('history.maxEntries', 50, vscode.ConfigurationTarget.Global);
    const stored = await run<{ stored: boolean }>('onelogin-mfa.setAccessToken', { accessToken: TOKEN });
    assert.equal(stored.stored, true);
    await new Promise((r) => setTimeout(r, 300)); // SecretStorage's change event resets the client
  });

  after(async function () {
    await run('onelogin-mfa.stopPolling');
    const config = vscode.workspace.getConfiguration(SECTION);
    for (const key of ['baseUrl', 'pollInterval', 'history.maxEntries']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await run('onelogin-mfa.clearCredentials');
    await sim?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('sends a verification to the default device and resolves with the terminal poll result', async () => {
    sim.addUser('2001');
    sim.setNextTriggerScript({ settle: { to: 'accepted', afterPolls: 2 } });
    const r = await run<TriggerResult>('onelogin-mfa.triggerVerification', { userId: '2001', customMessage: 'Integration test' });
    assert.equal(r.state, 'accepted', JSON.stringify(r));
    assert.ok(r.verificationId);
    const posts = sim.requests.filter((q) => q.method === 'POST' && q.path === '/api/2/mfa/users/2001/verifications');
    assert.equal(posts.length, 1, 'one push, never a second POST');
    const body = JSON.parse(posts[0].body) as { device_id: string; expires_in: number; custom_message: string };
    assert.equal(body.expires_in, 120);
    assert.equal(body.custom_message, 'Integration test');
    assert.equal(r.deviceId, body.device_id);
    assert.equal(r.deviceId, sim.getVerification('2001', r.verificationId)?.deviceId);
    assert.ok(typeof r.expiresAt === 'number' && r.expiresAt > Date.now() + 100_000, 'the local deadline lies ~120 s ahead');
    assert.ok(r.serverExpiresAt && !Number.isNaN(Date.parse(r.serverExpiresAt)), 'OneLogin\'s expires_at is reported as sent');
    assert.equal(r.deadlineSource, 'server', 'the simulator\'s expires_at agrees with its Date header');
    assert.ok((r.attempt ?? 0) >= 2);
    assert.ok(!JSON.stringify(r).includes(TOKEN), 'no secret in the result');

    const entry = hooks.entries().find((e) => e.verificationId === r.verificationId);
    assert.equal(entry?.phase, 'accepted');
    assert.equal(entry?.triggered, true);
    assert.equal(entry?.serverExpiresAt, r.serverExpiresAt);
    assert.match(hooks.statusBar()?.text ?? '', /accepted/);
  });

  it('refuses a second push for the same user and device while one is pending', async () => {
    sim.addUser('2002');
    sim.setNextTriggerScript({}); // stays pending
    const first = await run<TriggerResult>('onelogin-mfa.triggerVerification', { userId: '2002', wait: false });
    assert.equal(first.state, 'pending');
    assert.ok(first.verificationId && first.deviceId);
    await until('the first status request', () => (sim.getVerification('2002', first.verificationId as string)?.polls ?? 0) >= 1);

    const second = await run<TriggerResult>('onelogin-mfa.triggerVerification', { userId: '2002', deviceId: first.deviceId, wait: false });
    assert.equal(second.state, 'error');
    assert.equal(second.error?.code, 'ALREADY_PENDING');
    assert.match(second.error?.message ?? '', /^A push for this user and device is already pending \(\d+s left\)/);
    assert.equal(second.verificationId, first.verificationId, 'names the pending verification');
    assert.equal(sim.requests.filter((q) => q.method === 'POST' && q.path === '/api/2/mfa/users/2002/verifications').length, 1);

    // Once it is over (stopped here), a new push may be sent.
    const stopped = await run<{ stopped: number }>('onelogin-mfa.stopPolling', { verificationId: first.verificationId });
    assert.equal(stopped.stopped, 1);
    sim.setNextTriggerScript({ settle: { to: 'rejected', afterPolls: 1 } });
    const again = await run<TriggerResult>('onelogin-mfa.triggerVerification', { userId: '2002', deviceId: first.deviceId });
    assert.equal(again.state, 'rejected');
    assert.notEqual(again.verificationId, first.verificationId);
    assert.equal(sim.requests.filter((q) => q.method === 'POST' && q.path === '/api/2/mfa/users/2002/verifications').length, 2);
  });

  it('a wrong one-time code leaves the verification unchanged; the right one accepts it and stops its poll', async () => {
    const id = sim.addVerification('2003', { otp: '246810' });
    const polling = await run<{ state: string }>('onelogin-mfa.pollVerification', { userId: '2003', verificationId: id, wait: false });
    assert.ok(['idle', 'pending'].includes(polling.state));

    const wrong = await run<OtpResult>('onelogin-mfa.verifyOtp', { userId: '2003', verificationId: id, otp: '111111' });
    assert.equal(wrong.accepted, false);
    assert.equal(wrong.httpStatus, 401);
    assert.equal(wrong.error?.code, 'OTP_REJECTED');
    assert.match(wrong.error?.message ?? '', /^OneLogin rejected the code/);
    assert.equal(wrong.state, 'pending', 'state unchanged');
    assert.equal(sim.getVerification('2003', id)?.status, 'pending');
    assert.equal(hooks.entries().find((e) => e.verificationId === id)?.polling, true, 'still polling');

    const right = await run<OtpResult>('onelogin-mfa.verifyOtp', { userId: '2003', verificationId: id, otp: '246 810' });
    assert.equal(right.accepted, true);
    assert.equal(right.state, 'accepted');
    const entry = hooks.entries().find((e) => e.verificationId === id);
    assert.equal(entry?.phase, 'accepted');
    assert.equal(entry?.polling, false, 'the poll stopped');
    for (const r of [wrong, right]) assert.ok(!JSON.stringify(r).includes('246810') && !JSON.stringify(r).includes('111111'), 'the code is never returned');

    // The PUT exchange holds no code; its cURL has a placeholder.
    const put = hooks.exchanges().filter((x) => x.method === 'PUT' && x.path.endsWith(`/verifications/${id}`));
    assert.equal(put.length, 2);
    const curl = await hooks.curl(put[1].id);
    assert.ok(curl?.includes('"otp":"<one_time_code>"'), curl);
    assert.ok(!curl?.includes('246810'));
  });

  it('an expired push falls back to a one-time code', async () => {
    const id = sim.addVerification('2004', { otp: '135790' });
    const expired = await run<{ state: string }>('onelogin-mfa.pollVerification', { userId: '2004', verificationId: id, expiresAt: Date.now() + 1500 });
    assert.equal(expired.state, 'expired');
    const r = await run<OtpResult>('onelogin-mfa.verifyOtp', { userId: '2004', verificationId: id, otp: '135790' });
    assert.equal(r.accepted, true);
    assert.equal(r.state, 'accepted');
    assert.equal(hooks.entries().find((e) => e.verificationId === id)?.phase, 'accepted');
    await until('the history entry', () => hooks.history().some((h) => h.verificationId === id && h.phase === 'accepted'));
    assert.equal(hooks.history().find((h) => h.verificationId === id)?.source, 'otp');
  });

  it('lists the devices (default first, code factors marked) and the factors', async () => {
    sim.addUser('2005', [
      { device_id: '501', user_display_name: 'Work phone', type_display_name: 'Authenticator', auth_factor_name: 'Google Authenticator', default: false },
      { device_id: '502', user_display_name: 'My iPhone', type_display_name: 'OneLogin Protect', auth_factor_name: 'OneLogin Protect', default: true },
    ]);
    const r = await run<{ userId: string; devices: { deviceId: string; factor: string; isDefault: boolean }[]; factors: unknown[] }>('onelogin-mfa.listDevices', { userId: '2005' });
    assert.deepEqual(r.devices.map((d) => [d.deviceId, d.factor, d.isDefault]), [
      ['502', 'push', true],
      ['501', 'code', false],
    ]);
    assert.ok(r.factors.length >= 1);
    assert.equal(hooks.devices()?.userId, '2005');
  });

  it('exports the exchange log as JSON and HAR, with no secret in the files', async () => {
    const jsonFile = path.join(tmp, 'log.json');
    const harFile = path.join(tmp, 'log.har');
    const json = await run<{ written: boolean; exchanges: number; format: string }>('onelogin-mfa.exportLog', { format: 'json', uri: jsonFile });
    assert.equal(json.written, true);
    assert.ok(json.exchanges >= 10);
    const har = await run<{ written: boolean; exchanges: number }>('onelogin-mfa.exportLog', { format: 'har', uri: vscode.Uri.file(harFile).toString() });
    assert.equal(har.written, true);
    const jsonText = fs.readFileSync(jsonFile, 'utf8');
    const harText = fs.readFileSync(harFile, 'utf8');
    for (const text of [jsonText, harText]) {
      assert.ok(!text.includes(TOKEN), 'no access token');
      assert.ok(!text.includes('246810') && !text.includes('135790'), 'no one-time code');
      assert.ok(!text.includes('••••'), 'not even the masked tail');
    }
    const rows = JSON.parse(jsonText) as { method: string; url: string; requestHeaders: Record<string, string> }[];
    assert.equal(rows.length, json.exchanges);
    assert.ok(rows.some((x) => x.method === 'POST' && x.url.startsWith(sim.url)));
    // Earlier test files of the same run leave their own exchanges (token mints too): judge this file's.
    const ours = rows.filter((x) => x.url.startsWith(sim.url));
    assert.ok(ours.length > 0);
    assert.ok(ours.every((x) => Object.entries(x.requestHeaders).every(([k, v]) => k.toLowerCase() !== 'authorization' || v === 'Bearer <access_token>')));
    const doc = JSON.parse(harText) as { log: { version: string; entries: { request: { method: string }; response: { status: number } }[] } };
    assert.equal(doc.log.version, '1.2');
    assert.equal(doc.log.entries.length, har.exchanges);
    assert.ok(doc.log.entries.some((e) => e.request.method === 'PUT' && e.response.status === 401));

    const bad = await run<{ written: boolean; error?: { code?: string } }>('onelogin-mfa.exportLog', { format: 'xml', uri: jsonFile });
    assert.equal(bad.written, false);
    assert.equal(bad.error?.code, 'INVALID_ARGUMENT');
  });

  it('Copy as cURL and the rate-limit gauge', async () => {
    // This file's users are 2001-2004; other files of the same run use other users (and simulators).
    const get = hooks.exchanges().find((x) => x.method === 'GET' && /\/users\/200\d\/verifications\//.test(x.path));
    assert.ok(get);
    const curl = await hooks.curl(get.id);
    assert.ok(curl?.startsWith(`curl '${sim.url}/api/2/mfa/users/`), curl);
    assert.match(curl ?? '', / -X GET -H /);
    assert.ok(curl?.includes(`'Authorization: Bearer <access_token>'`));
    assert.ok(!curl?.includes(TOKEN));
    const gauge = hooks.rateLimit();
    assert.equal(gauge?.limit, 5000);
    assert.ok(typeof gauge?.remaining === 'number' && gauge.remaining < 5000);
    assert.match(hooks.statusBar()?.tooltip ?? '', /API rate limit: \d+ of 5000 calls left/);
  });

  it('keeps a history without secrets in globalState (what the next start loads), bounded by its setting', async () => {
    const stored = hooks.storedHistory();
    const phases = new Map(stored.map((h) => [h.userId, h.phase]));
    assert.equal(phases.get('2001'), 'accepted');
    assert.equal(phases.get('2003'), 'accepted');
    assert.equal(phases.get('2004'), 'accepted');
    assert.ok(stored.some((h) => h.userId === '2002' && h.phase === 'rejected'));
    const text = JSON.stringify(stored);
    assert.ok(!text.includes(TOKEN) && !text.includes('246810'));

    await vscode.workspace.getConfiguration(SECTION).update('history.maxEntries', 2, vscode.ConfigurationTarget.Global);
    await until('the history to be trimmed', () => hooks.storedHistory().length === 2);
    const cleared = await run<{ cleared: number }>('onelogin-mfa.clearHistory');
    assert.equal(cleared.cleared, 2);
    assert.deepEqual(hooks.storedHistory(), []);
    await vscode.workspace.getConfiguration(SECTION).update('history.maxEntries', 0, vscode.ConfigurationTarget.Global);
    const id = sim.addVerification('2006', { status: 'accepted' });
    await run('onelogin-mfa.checkVerification', { userId: '2006', verificationId: id });
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(hooks.storedHistory(), [], 'nothing is kept while the history is off');
  });
});
