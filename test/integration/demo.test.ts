/**
 * The demo tenant in the real extension host: "Try the Demo Tenant" starts the simulator inside the
 * extension host on 127.0.0.1, adds the tenant "demo" with its own token, and its verifications settle
 * by themselves (accepted, rejected, and one that takes a code); "Stop the Demo Tenant" ends it all.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { entryOf, hooks, resetAll, run, until, type VerificationResult } from './helpers';

interface StartDemoResult {
  tenant: string;
  baseUrl: string;
  userId: string;
  verifications: { id: string; behaviour: string }[];
  otp: string;
}

/** Whether something answers HTTP at that origin. */
function answers(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${origin}/auth/rate_limit`, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

describe('the demo tenant', function () {
  before(async function () {
    await resetAll();
  });

  after(async function () {
    await run('onelogin-mfa.stopDemo');
    await resetAll();
  });

  it('starts on 127.0.0.1, becomes the active tenant, and its verifications settle by themselves', async function () {
    this.timeout(60_000);
    const demo = await run<StartDemoResult>('onelogin-mfa.startDemo');
    assert.equal(demo.tenant, 'demo');
    assert.match(demo.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(demo.verifications.map((v) => v.behaviour), ['accepted', 'rejected', 'otp']);
    const h = await hooks();
    const [accepted, rejected, otp] = demo.verifications.map((v) => v.id);

    await until('the demo verifications to settle', () => entryOf(h, demo.userId, accepted)?.phase === 'accepted' && entryOf(h, demo.userId, rejected)?.phase === 'rejected', 30_000);
    assert.equal(entryOf(h, demo.userId, accepted)?.tenant, 'demo');
    assert.equal(entryOf(h, demo.userId, otp)?.phase, 'pending', 'the one that takes a code waits');
    assert.match(h.statusBar()?.text ?? '', /· demo/, 'the status bar names the demo tenant (there are two tenants now)');

    // The code, through the command as a keybinding would send it: no tenant argument, the demo is active.
    const r = await run<{ accepted: boolean }>('onelogin-mfa.verifyOtp', { userId: demo.userId, verificationId: otp, otp: demo.otp });
    assert.equal(r.accepted, true);
    await until('the code to settle it', () => entryOf(h, demo.userId, otp)?.phase === 'accepted');

    // Send Verification to the demo user: the push is accepted after a few checks.
    const sent = await run<VerificationResult>('onelogin-mfa.triggerVerification', { userId: demo.userId });
    assert.equal(sent.state, 'accepted', JSON.stringify(sent));

    const stopped = await run<{ stopped: boolean }>('onelogin-mfa.stopDemo');
    assert.deepEqual(stopped, { stopped: true });
    assert.equal(await answers(demo.baseUrl), false, 'the demo server is closed');
    const after = await run<VerificationResult>('onelogin-mfa.checkVerification', { tenant: 'demo', userId: demo.userId, verificationId: accepted });
    assert.equal(after.error?.code, 'UNKNOWN_TENANT', 'the demo tenant is gone with it');
    assert.doesNotMatch(h.statusBar()?.text ?? '', /·/, 'one tenant again: nothing names tenants');
  });
});
