import { strict as assert } from 'node:assert';
import { MAX_ENTRIES, VerificationStore, type VerificationEntry } from '../../src/verification/store';
import type { PollState } from '../../src/verification/types';

const poll = (over: Partial<PollState> = {}): PollState => ({ phase: 'pending', userId: '42', verificationId: 'v1', attempt: 1, expiresAt: 1000, ...over });

describe('verification store', () => {
  it('tracks poll states and whether the loop still runs', () => {
    let now = 10;
    const store = new VerificationStore(() => now);
    const events: (VerificationEntry | undefined)[] = [];
    store.onDidChange((e) => events.push(e));
    store.updateFromPoll(poll(), true);
    now = 20;
    store.updateFromPoll(poll({ phase: 'accepted', attempt: 2 }), false);
    const e = store.get('42/v1')!;
    assert.equal(e.state.phase, 'accepted');
    assert.equal(e.polling, false);
    assert.equal(e.updatedAt, 20);
    assert.equal(events.length, 2);
  });

  it('knows whether any loop runs', () => {
    const store = new VerificationStore();
    assert.equal(store.anyPolling(), false);
    store.updateFromPoll(poll(), true);
    store.updateFromPoll(poll({ verificationId: 'v2', phase: 'accepted' }), false);
    assert.equal(store.anyPolling(), true);
    store.updateFromPoll(poll({ phase: 'cancelled' }), false);
    assert.equal(store.anyPolling(), false);
  });

  it('a single check records status, http status and attempt count', () => {
    const store = new VerificationStore(() => 5);
    store.recordCheck('42', 'v1', { result: { id: 'v1', status: 'pending', httpStatus: 200, exchangeId: 1, deviceId: 'd' } });
    store.recordCheck('42', 'v1', { error: { kind: 'auth', message: 'Authentication Failure', httpStatus: 401 } });
    const s = store.get('42/v1')!.state;
    assert.equal(s.phase, 'error');
    assert.equal(s.attempt, 2);
    assert.equal(s.lastHttpStatus, 401);
    assert.equal(s.deviceId, 'd');
    assert.equal(s.lastCheckedAt, 5);
  });

  it('a check does not overwrite a running poll', () => {
    const store = new VerificationStore();
    store.updateFromPoll(poll({ attempt: 3 }), true);
    store.recordCheck('42', 'v1', { result: { id: 'v1', status: 'accepted', httpStatus: 200, exchangeId: 1 } });
    assert.equal(store.get('42/v1')!.state.phase, 'pending');
    assert.equal(store.get('42/v1')!.state.attempt, 3);
  });

  it('lists newest first; restored entries never replace live ones', () => {
    const store = new VerificationStore();
    store.updateFromPoll(poll({ verificationId: 'a' }), true);
    store.updateFromPoll(poll({ verificationId: 'b' }), true);
    store.restore([poll({ verificationId: 'a', phase: 'rejected' }), poll({ verificationId: 'old', phase: 'accepted' })]);
    assert.deepEqual(store.entries().map((e) => e.state.verificationId), ['old', 'b', 'a']);
    assert.equal(store.get('42/a')!.state.phase, 'pending');
    assert.equal(store.get('42/old')!.source, 'restored');
    assert.equal(store.get('42/old')!.polling, false);
  });

  it('keeps at most MAX_ENTRIES, never evicting a running poll', () => {
    const store = new VerificationStore();
    store.updateFromPoll(poll({ verificationId: 'running' }), true);
    for (let i = 0; i < MAX_ENTRIES + 10; i++) store.recordCheck('1', `c${i}`, { result: { id: 'x', status: 'accepted', httpStatus: 200, exchangeId: i } });
    assert.equal(store.entries().length, MAX_ENTRIES);
    assert.ok(store.get('42/running'));
    assert.equal(store.get('1/c0'), undefined);
  });

  it('keeps what the trigger said, whether it arrives before or after the first poll state', () => {
    const store = new VerificationStore(() => 7);
    const info = { deviceId: '3919988', deviceLabel: 'My iPhone · OneLogin Protect', needsCode: false, serverExpiresAt: '2026-11-29T10:02:00Z', deadlineSource: 'server' as const, triggeredAt: 5 };
    store.annotate('42', 'v1', info);
    assert.equal(store.get('42/v1'), undefined, 'no entry until the poll reports');
    store.updateFromPoll(poll(), true);
    assert.deepEqual(store.get('42/v1')?.trigger, info);
    store.updateFromPoll(poll({ phase: 'accepted' }), false);
    assert.deepEqual(store.get('42/v1')?.trigger, info, 'kept across updates');
    store.updateFromPoll(poll({ verificationId: 'v2' }), true);
    const events: (VerificationEntry | undefined)[] = [];
    store.onDidChange((e) => events.push(e));
    store.annotate('42', 'v2', { ...info, deadlineSource: 'local' });
    assert.equal(store.get('42/v2')?.trigger?.deadlineSource, 'local');
    assert.equal(events[0]?.key, '42/v2');
  });

  it('an accepted one-time code marks the verification accepted (no poll running)', () => {
    const store = new VerificationStore(() => 9);
    store.updateFromPoll(poll({ phase: 'expired', attempt: 60, deviceId: 'd1' }), false);
    const e = store.recordOtpAccepted('42', 'v1', 200);
    assert.equal(e.state.phase, 'accepted');
    assert.equal(e.source, 'otp');
    assert.equal(e.polling, false);
    assert.equal(e.state.attempt, 60);
    assert.equal(e.state.deviceId, 'd1');
    assert.equal(e.state.lastHttpStatus, 200);
    const fresh = store.recordOtpAccepted('7', 'never-seen', 200, 'd9');
    assert.deepEqual([fresh.state.phase, fresh.state.deviceId, fresh.state.attempt], ['accepted', 'd9', 0]);
  });

  it('clearFinished keeps only running polls', () => {
    const store = new VerificationStore();
    store.updateFromPoll(poll({ verificationId: 'a' }), true);
    store.updateFromPoll(poll({ verificationId: 'b', phase: 'expired' }), false);
    assert.equal(store.clearFinished(), 1);
    assert.deepEqual(store.entries().map((e) => e.key), ['42/a']);
  });
});
