import { strict as assert } from 'node:assert';
import { statusBarModel } from '../../src/statusBar/model';
import type { VerificationEntry } from '../../src/verification/store';
import type { PollState } from '../../src/verification/types';
import { secondsLeft } from '../../src/util/time';

const NOW = 1_700_000_000_000;
const time = (ms: number): string => `T+${(ms - NOW) / 1000}`;

let seq = 0;
function entry(state: Partial<PollState>, extra: Partial<VerificationEntry> = {}): VerificationEntry {
  const s: PollState = { phase: 'pending', userId: '42', verificationId: 'v-1', attempt: 1, expiresAt: NOW + 87_000, ...state };
  seq++;
  return { key: `${s.userId}/${s.verificationId}`, state: s, polling: true, source: 'poll', seq, updatedAt: NOW - 1000 + seq, ...extra };
}

describe('statusBarModel', () => {
  it('several tenants: the text ends with the active one and each verification names its tenant; one tenant: nothing', () => {
    const entries = [entry({ verificationId: 'a', tenant: 'prod' }), entry({ verificationId: 'b' })];
    const several = statusBarModel(entries, { now: NOW, activeTenant: 'sandbox' });
    assert.equal(several.text, '$(sync~spin) MFA 2 pending 87s · sandbox');
    assert.match(several.tooltip, /Tenant: prod/);
    assert.match(several.tooltip, /Tenant: default/);
    assert.match(several.tooltip, /Active tenant: sandbox/);
    assert.equal(statusBarModel([], { now: NOW, activeTenant: 'prod' }).text, '$(shield) MFA · prod');
    const one = statusBarModel(entries, { now: NOW });
    assert.doesNotMatch(one.text + one.tooltip, /tenant|·/i);
  });

  it('idle: a shield, no background, no ticking', () => {
    const m = statusBarModel([], { now: NOW });
    assert.equal(m.text, '$(shield) MFA');
    assert.equal(m.background, undefined);
    assert.equal(m.ticking, false);
    assert.match(m.tooltip, /Click to open the OneLogin MFA panel/);
  });

  it('pending poll: spinning icon and the seconds left, ticking', () => {
    const m = statusBarModel([entry({ expiresAt: NOW + 86_200 })], { now: NOW });
    assert.equal(m.text, '$(sync~spin) MFA pending 87s');
    assert.equal(m.background, undefined);
    assert.equal(m.ticking, true);
  });

  it('never shows negative seconds', () => {
    assert.equal(secondsLeft(NOW - 5000, NOW), 0);
    const m = statusBarModel([entry({ expiresAt: NOW - 5000 })], { now: NOW });
    assert.equal(m.text, '$(sync~spin) MFA pending 0s');
  });

  it('several pending: summarises with the soonest expiry', () => {
    const m = statusBarModel(
      [entry({ verificationId: 'a', expiresAt: NOW + 100_000 }), entry({ verificationId: 'b', expiresAt: NOW + 30_000 })],
      { now: NOW, formatTime: time },
    );
    assert.equal(m.text, '$(sync~spin) MFA 2 pending 30s');
    assert.match(m.tooltip, /2 pending, 2 in total/);
    // Soonest first in the tooltip.
    assert.ok(m.tooltip.indexOf('Verification b') < m.tooltip.indexOf('Verification a'));
  });

  const terminal: [PollState['phase'], string, 'error' | 'warning' | undefined][] = [
    ['accepted', '$(pass-filled) MFA accepted', undefined],
    ['rejected', '$(error) MFA rejected', 'error'],
    ['expired', '$(watch) MFA expired', 'warning'],
    ['cancelled', '$(circle-slash) MFA stopped', undefined],
  ];
  for (const [phase, text, background] of terminal) {
    it(`${phase}: "${text}" with ${background ?? 'no'} background`, () => {
      const m = statusBarModel([entry({ phase }, { polling: false })], { now: NOW });
      assert.equal(m.text, text);
      assert.equal(m.background, background);
      assert.equal(m.ticking, false);
    });
  }

  it('error: names the error kind, error background', () => {
    const m = statusBarModel([entry({ phase: 'error', error: { kind: 'auth', message: 'Authentication Failure' } }, { polling: false })], { now: NOW });
    assert.equal(m.text, '$(warning) MFA error: auth');
    assert.equal(m.background, 'error');
    assert.match(m.tooltip, /error \(auth\): Authentication Failure/);
  });

  it('a pending single check is not shown as a live poll', () => {
    const m = statusBarModel([entry({ phase: 'pending' }, { polling: false, source: 'check' })], { now: NOW });
    assert.equal(m.text, '$(clock) MFA pending');
    assert.equal(m.ticking, false);
    assert.match(m.tooltip, /checked once, not polling/);
  });

  it('tooltip: user id, verification id, device id, last HTTP status, attempts, last check time', () => {
    const m = statusBarModel(
      [entry({ userId: '3919', verificationId: '406fefd4', deviceId: '777', lastHttpStatus: 200, attempt: 5, lastCheckedAt: NOW - 2000 })],
      { now: NOW, formatTime: time },
    );
    for (const part of ['Verification 406fefd4', 'User id: 3919', 'Device id: 777', 'Last HTTP status: 200', 'Checks: 5', 'Last check: T+-2']) {
      assert.ok(m.tooltip.includes(part), `${part} missing in:\n${m.tooltip}`);
    }
  });

  it('shows retrying in the tooltip while backing off', () => {
    const m = statusBarModel(
      [entry({ retry: { reason: { kind: 'network', message: 'ECONNREFUSED' }, delayMs: 4000 } })],
      { now: NOW },
    );
    assert.match(m.tooltip, /retrying after network \(4 s\)/);
  });

  it('several finished: the latest state plus a count', () => {
    const m = statusBarModel(
      [entry({ phase: 'accepted', verificationId: 'a' }, { polling: false, updatedAt: NOW - 10 }), entry({ phase: 'rejected', verificationId: 'b' }, { polling: false, updatedAt: NOW })],
      { now: NOW },
    );
    assert.equal(m.text, '$(error) MFA rejected (+1)');
  });

  it('ignores entries restored from before a reload', () => {
    const m = statusBarModel([entry({ phase: 'rejected' }, { polling: false, source: 'restored' })], { now: NOW });
    assert.equal(m.text, '$(shield) MFA');
  });

  it('caps the tooltip and says how many more', () => {
    const many = Array.from({ length: 8 }, (_, i) => entry({ verificationId: `v${i}`, phase: 'accepted' }, { polling: false }));
    const m = statusBarModel(many, { now: NOW, maxTooltipEntries: 3 });
    assert.equal((m.tooltip.match(/^Verification /gm) ?? []).length, 3);
    assert.match(m.tooltip, /and 5 more in the panel/);
  });

  it('adds the rate-limit line to the tooltip, idle or not', () => {
    const line = 'API rate limit: 4988 of 5000 calls left, resets in 14 min';
    assert.match(statusBarModel([], { now: NOW, rateLimitLine: line }).tooltip, /API rate limit: 4988 of 5000 calls left/);
    const busy = statusBarModel([entry({ expiresAt: NOW + 30_000 })], { now: NOW, rateLimitLine: line });
    assert.ok(busy.tooltip.includes(line));
    assert.ok(busy.tooltip.indexOf(line) < busy.tooltip.indexOf('Click to open'), 'before the click hint');
    assert.doesNotMatch(statusBarModel([], { now: NOW }).tooltip, /rate limit/);
  });

  it('localizes through the given function', () => {
    const m = statusBarModel([], { now: NOW, t: (msg) => `«${msg}»` });
    assert.equal(m.text, '$(shield) «MFA»');
  });
});
