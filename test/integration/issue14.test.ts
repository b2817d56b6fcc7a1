/**
 * Issue 14, inside a real VS Code extension host against the simulator (real HTTP): a stale or revoked
 * token never turns a right code into "wrong code"; a trigger whose outcome is unknown keeps the
 * no-second-push guard; a garbage trigger reply is refused and quoted; a rate-limited poll ends as
 * rate-limited; two triggers at once send one push; and the rate-limit budget guard keeps many polls
 * within the share of the account's calls, with zero 429s, and says so in the status bar.
 */
import * as assert from 'node:assert/strict';
import type { TestHooks } from '../../src/extension';
import type { TriggerCommandResult } from '../../src/commands/results';
import type { OtpCommandResult } from '../../src/verification/otp';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { SECRETS, SIM_OPTIONS, entryOf, hooks, resetAll, run, setSettings, until, useToken, type VerificationResult } from './helpers';

const USER = '1414';

describe('integration/issue14: right about OneLogin where it matters', function () {
  this.timeout(40_000);
  let sim: Simulator;
  let h: TestHooks;
  let device: string;

  before(async function () {
    h = await hooks();
    sim = await startSimulator(SIM_OPTIONS);
    sim.addUser(USER);
  });

  beforeEach(async function () {
    sim.clearRequests();
    await setSettings({ baseUrl: sim.url, pollInterval: 1 });
    await useToken();
  });

  /** A user of its own for a test that sends pushes: the no-second-push guard rightly outlives a test. */
  let users = 0;
  async function pushUser(): Promise<string> {
    const user = `${USER}${++users}`;
    sim.addUser(user);
    device = (await run<{ devices: { deviceId: string; isDefault: boolean }[] }>('onelogin-mfa.listDevices', { userId: user })).devices.find((d) => d.isDefault)?.deviceId ?? '';
    assert.ok(device);
    sim.clearRequests();
    return user;
  }

  afterEach(async function () {
    await resetAll();
  });

  after(async function () {
    await sim?.close();
  });

  /** Revoking tokens is for good: those tests get a simulator of their own. */
  const own: Simulator[] = [];
  async function ownSimulator(): Promise<Simulator> {
    const s = await startSimulator(SIM_OPTIONS);
    own.push(s);
    s.addUser(USER);
    await setSettings({ baseUrl: s.url });
    return s;
  }
  afterEach(async () => {
    await Promise.all(own.splice(0).map((s) => s.close()));
  });

  const puts = (s: Simulator = sim): number => s.requests.filter((r) => r.method === 'PUT').length;
  const posts = (): number => sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/verifications')).length;

  it('defect 1: a revoked access token and the right code: "the token is no longer valid", never "wrong code"; the code is sent once per try', async () => {
    const s = await ownSimulator();
    const id = s.addVerification(USER, { otp: '246810' });
    s.revokeAccessTokens();
    for (let i = 1; i <= 3; i++) {
      const r = await run<OtpCommandResult>('onelogin-mfa.verifyOtp', { userId: USER, verificationId: id, otp: '246810' });
      assert.equal(r.accepted, false);
      assert.equal(r.error?.code, 'TOKEN_INVALID', JSON.stringify(r.error));
      assert.match(r.error?.message ?? '', /no longer valid/);
      assert.equal(puts(s), i);
    }
    assert.equal(s.getVerification(USER, id)?.status, 'pending');
  });

  it('defect 1: client credentials whose cached token was revoked: the right code is accepted (one token check, one new token, one resend)', async () => {
    const r0 = await run<{ stored: boolean }>('onelogin-mfa.setClientCredentials', { clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret });
    assert.equal(r0.stored, true);
    const s = await ownSimulator();
    const id = s.addVerification(USER, { otp: '135790' });
    await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id }); // caches a token
    s.revokeAccessTokens();
    s.clearRequests();
    const r = await run<OtpCommandResult>('onelogin-mfa.verifyOtp', { userId: USER, verificationId: id, otp: '135790' });
    assert.equal(r.accepted, true, JSON.stringify(r));
    assert.equal(puts(s), 2);
    assert.equal(s.requests.filter((q) => q.path === '/auth/rate_limit').length, 1);
    assert.equal(entryOf(h, USER, id)?.phase, 'accepted');
  });

  it('defect 2: a trigger that times out may have sent the push: the guard holds, the user is told to watch the phone, no second POST', async () => {
    const user = await pushUser();
    await setSettings({ requestTimeout: 1 });
    sim.queueFault({ kind: 'hang' }, { method: 'POST' });
    const first = await run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false });
    assert.equal(first.state, 'error');
    assert.equal(first.error?.code, 'OUTCOME_UNKNOWN');
    assert.match(first.error?.message ?? '', /may have been sent: watch the phone/);
    const second = await run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false });
    assert.equal(second.error?.code, 'OUTCOME_UNKNOWN');
    assert.equal(posts(), 1, 'one POST only');
  });

  it('defect 3: a trigger reply whose id would forge a log line is refused, quoted on one line, and never polled', async () => {
    const user = await pushUser();
    sim.queueFault({ kind: 'body', status: 201, body: JSON.stringify([{ id: 'x\n[info] forged', device_id: device }]) }, { method: 'POST' });
    const r = await run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false });
    assert.equal(r.error?.code, 'OUTCOME_UNKNOWN');
    assert.match(r.error?.message ?? '', /"x\\n\[info\] forged" is not a usable id/);
    assert.ok(!(r.error?.message ?? '').includes('\n'));
    assert.ok(h.entries().every((e) => !e.verificationId.includes('\n')));
    assert.equal(sim.requests.filter((q) => q.method === 'GET' && q.path.includes('/verifications/')).length, 0);
  });

  it('defect 5: a poll the rate limit outlasts ends as rate-limited, not expired; no new push to that device until the reset', async () => {
    const user = await pushUser();
    sim.setNextTriggerScript({ faults: [{ kind: 'rateLimited', retryAfter: '600' }] });
    const r = await run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, expiresIn: 30, wait: true });
    assert.equal(r.state, 'error', JSON.stringify(r));
    assert.equal(r.error?.kind, 'rateLimited');
    assert.equal(r.error?.code, 'RATE_LIMITED');
    assert.match(r.error?.message ?? '', /resets in 60\d s/);
    const again = await run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false });
    assert.equal(again.state, 'error');
    assert.equal(posts(), 1, 'no second push while rate-limited');
  });

  it('defect 6: two triggers at once for one user and device send one push', async () => {
    const user = await pushUser();
    const [a, b] = await Promise.all([
      run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false }),
      run<TriggerCommandResult>('onelogin-mfa.triggerVerification', { userId: user, deviceId: device, wait: false }),
    ]);
    assert.equal(posts(), 1);
    assert.deepEqual([a.state, b.state].sort(), ['error', 'pending']);
    assert.equal((a.error ?? b.error)?.code, 'ALREADY_PENDING');
  });

  describe('the rate-limit budget guard', () => {
    let budgetSim: Simulator;
    afterEach(async () => {
      await budgetSim?.close();
    });

    it('many polls whose nominal demand is twice what the guard allows: zero 429s, every verification accepted before its expiry is seen, and the status bar says polling is slowed', async function () {
      // 40 calls in this window. Six polls at 1 s for 12 s want ~72 at their own interval (at least 50 before
      // their verifications are accepted: without the guard they would meet 429s). After their first
      // checks 34 remain and 6 are spent: with share 0.5 the guard allows 0.5 × 34 − 0.5 × 6 = 14 more.
      budgetSim = await startSimulator({ ...SIM_OPTIONS, rateLimit: { limit: 40, windowMs: 600_000 } });
      budgetSim.addUser(USER);
      await setSettings({ baseUrl: budgetSim.url, pollInterval: 1 });
      await useToken();
      const ids = Array.from({ length: 6 }, (_, i) => budgetSim.addVerification(USER, { id: `budget-${i}`, settle: { to: 'accepted', afterMs: 7_000 + 500 * i } }));
      const expiresAt = Date.now() + 12_000;
      let slowedSeen = '';
      const watch = setInterval(() => {
        const tip = h.statusBar()?.tooltip ?? '';
        if (/Polling slowed/.test(tip)) slowedSeen = tip;
      }, 100);
      try {
        const results = await Promise.all(ids.map((id) => run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id, expiresAt, wait: true })));
        assert.deepEqual(results.map((r) => r.state), ids.map(() => 'accepted'), JSON.stringify(results));
      } finally {
        clearInterval(watch);
      }
      const limited = budgetSim.requests.filter((r) => r.status === 429);
      assert.equal(limited.length, 0, 'zero 429s');
      const gets = budgetSim.requests.filter((r) => r.method === 'GET' && r.path.includes('/verifications/')).length;
      assert.ok(gets <= 14 + 6 + 6, `status GETs: ${gets} (the 14 allowed, plus each poll's first check and its check at expiry)`);
      assert.match(slowedSeen, /Polling slowed to protect the rate limit: \d+ of \d+ polls check every \d+ s \(×[\d.]+ slower\), to spend at most 50% of the calls left/);
      await until('the status bar to drop the note once the polls ended', () => !/Polling slowed/.test(h.statusBar()?.tooltip ?? ''));
    });
  });
});
