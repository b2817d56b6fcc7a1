import { strict as assert } from 'node:assert';
import { OneLoginError } from '../../src/onelogin/errors';
import type { PollPhase } from '../../src/verification/types';
import {
  alreadyPendingMessage,
  customMessageProblem,
  DEADLINE_TOLERANCE_MS,
  outcomeUnknownMessage,
  parseTriggerArgs,
  pollDeadline,
  settledByPolls,
  triggerFailureIsRefusal,
  TriggerRegistry,
  type PendingTrigger,
} from '../../src/verification/trigger';

describe('workflow: sending a verification', () => {
  describe('arguments', () => {
    it('no argument object means interactive', () => {
      for (const arg of [undefined, null, 'x', 7, [], new (class Uri {})()]) assert.deepEqual(parseTriggerArgs(arg), { kind: 'interactive' });
    });

    it('defaults: expiresIn 120, wait true; ids trimmed, numbers accepted', () => {
      assert.deepEqual(parseTriggerArgs({ userId: ' 1001 ' }), { kind: 'ok', value: { userId: '1001', expiresIn: 120, wait: true } });
      assert.deepEqual(parseTriggerArgs({ userId: 1001, deviceId: 3919988, expiresIn: 30, customMessage: 'Deploy?', wait: false }), {
        kind: 'ok',
        value: { userId: '1001', deviceId: '3919988', expiresIn: 30, customMessage: 'Deploy?', wait: false },
      });
      assert.deepEqual(parseTriggerArgs({ userId: '1', customMessage: '  ' }), { kind: 'ok', value: { userId: '1', expiresIn: 120, wait: true } }, 'a blank message is none');
    });

    it('expiresIn is a whole number from 30 to 900', () => {
      for (const ok of [30, 120, 900]) assert.equal(parseTriggerArgs({ userId: '1', expiresIn: ok }).kind, 'ok', String(ok));
      for (const bad of [29, 901, 0, -5, 60.5, '120', Number.NaN, null]) {
        const r = parseTriggerArgs({ userId: '1', expiresIn: bad });
        assert.equal(r.kind, 'invalid', String(bad));
        if (r.kind === 'invalid') {
          assert.equal(r.error.code, 'INVALID_ARGUMENT');
          assert.match(r.error.message, /30 to 900/);
        }
      }
    });

    it('customMessage: a string of at most 160 characters, no control characters', () => {
      assert.equal(parseTriggerArgs({ userId: '1', customMessage: 'x'.repeat(160) }).kind, 'ok');
      const long = parseTriggerArgs({ userId: '1', customMessage: 'x'.repeat(161) });
      assert.equal(long.kind, 'invalid');
      if (long.kind === 'invalid') assert.match(long.error.message, /161 characters.*160/);
      assert.equal(parseTriggerArgs({ userId: '1', customMessage: 42 }).kind, 'invalid');
      assert.equal(parseTriggerArgs({ userId: '1', customMessage: 'a\u0000b' }).kind, 'invalid');
      assert.equal(customMessageProblem(''), undefined);
      assert.equal(customMessageProblem('Approve the deploy of build 42'), undefined);
    });

    it('ids are validated: bad or missing ones are an error result naming them', () => {
      const missing = parseTriggerArgs({ deviceId: '5' });
      assert.equal(missing.kind, 'invalid');
      if (missing.kind === 'invalid') {
        assert.equal(missing.error.code, 'INVALID_ID');
        assert.equal(missing.deviceId, '5');
      }
      for (const deviceId of ['../x', 'a/b', 'a b', '?', '.']) {
        const r = parseTriggerArgs({ userId: '1', deviceId });
        assert.equal(r.kind, 'invalid', deviceId);
        if (r.kind === 'invalid') assert.match(r.error.message, /device id/);
      }
      assert.equal(parseTriggerArgs({ userId: '1', wait: 'no' }).kind, 'invalid');
    });
  });

  describe('the poll deadline (local clock)', () => {
    const now = Date.parse('2026-11-29T10:00:00.000Z');

    it('expires_at consistent with the Date header: the time left they imply, added to the local now', () => {
      // The server clock is 37 s ahead; its expires_at is 120 s after its Date.
      const d = pollDeadline({ now, expiresInSeconds: 120, serverDate: new Date(now + 37_000).toUTCString(), expiresAt: new Date(now + 37_000 + 120_000).toISOString() });
      assert.equal(d.source, 'server');
      assert.equal(d.deadline, now + 120_000, 'not now + 157 s: the skew is not added');
      assert.equal(d.skewMs, 37_000);
      assert.equal(d.serverExpiresAt, now + 157_000);
    });

    it('never later than asked (the Date header has one-second resolution)', () => {
      const d = pollDeadline({ now, expiresInSeconds: 120, serverDate: new Date(now - 900).toUTCString(), expiresAt: new Date(now + 120_500).toISOString() });
      assert.equal(d.source, 'server');
      assert.ok(d.deadline <= now + 120_000);
      assert.ok(d.deadline >= now + 119_000);
    });

    it('expires_at that disagrees with the Date header: now + expires_in', () => {
      for (const off of [DEADLINE_TOLERANCE_MS + 1000, -(DEADLINE_TOLERANCE_MS + 1000), 3_600_000, -200_000]) {
        const d = pollDeadline({ now, expiresInSeconds: 120, serverDate: new Date(now).toUTCString(), expiresAt: new Date(now + 120_000 + off).toISOString() });
        assert.deepEqual([d.source, d.reason, d.deadline], ['local', 'disagrees', now + 120_000], String(off));
      }
    });

    it('absent or unreadable expires_at or Date: now + expires_in', () => {
      assert.deepEqual(pollDeadline({ now, expiresInSeconds: 300 }), { deadline: now + 300_000, source: 'local', reason: 'noExpiresAt' });
      const noDate = pollDeadline({ now, expiresInSeconds: 60, expiresAt: new Date(now + 60_000).toISOString() });
      assert.deepEqual([noDate.source, noDate.reason, noDate.deadline], ['local', 'noServerDate', now + 60_000]);
      assert.equal(pollDeadline({ now, expiresInSeconds: 60, expiresAt: 'soon', serverDate: 'yesterday' }).reason, 'noExpiresAt');
      // A local clock far off from the server: the local deadline still lies expires_in ahead.
      const skewed = pollDeadline({ now, expiresInSeconds: 120, expiresAt: new Date(now - 3_600_000).toISOString() });
      assert.equal(skewed.deadline, now + 120_000);
    });
  });

  describe('one pending push per user and device', () => {
    let now = 1_000_000;
    const settled = new Set<string>();
    const registry = (): TriggerRegistry => new TriggerRegistry((u, v) => settled.has(`${u}/${v}`), () => now);

    beforeEach(() => {
      now = 1_000_000;
      settled.clear();
    });

    it('refuses while a POST is in flight, and while the verification is pending', () => {
      const r = registry();
      assert.equal(r.reserve('1', 'd1'), true);
      assert.equal(r.reserve('1', 'd1'), false, 'POST in flight');
      assert.equal(r.pending('1', 'd1')?.verificationId, undefined);
      assert.equal(r.reserve('1', 'd2'), true, 'another device is another slot');
      assert.equal(r.reserve('2', 'd1'), true, 'another user is another slot');
      r.commit('1', 'd1', 'v1', now + 120_000);
      assert.equal(r.reserve('1', 'd1'), false);
      assert.deepEqual(r.pending('1', 'd1'), { userId: '1', deviceId: 'd1', verificationId: 'v1', deadline: now + 120_000, since: now });
    });

    it('frees the slot when the verification settles, when its deadline passes, or when the POST failed', () => {
      const r = registry();
      r.reserve('1', 'd1');
      r.commit('1', 'd1', 'v1', now + 120_000);
      settled.add('1/v1');
      assert.equal(r.pending('1', 'd1'), undefined);
      assert.equal(r.reserve('1', 'd1'), true);
      r.commit('1', 'd1', 'v2', now + 120_000);
      now += 119_999;
      assert.ok(r.pending('1', 'd1'));
      now += 1;
      assert.equal(r.pending('1', 'd1'), undefined, 'at the deadline');
      r.reserve('1', 'd3');
      r.release('1', 'd3');
      assert.equal(r.reserve('1', 'd3'), true);
    });

    it('a POST that never reported back does not block forever', () => {
      const r = registry();
      r.reserve('1', 'd1');
      now += 181_000;
      assert.equal(r.reserve('1', 'd1'), true);
    });

    it('a committed trigger whose poll has not started yet holds the slot (issue 14, defect 6)', () => {
      // The extension's isSettled: over the poll manager, where no poll exists yet right after commit.
      const phases = new Map<string, PollPhase>();
      const r = new TriggerRegistry(settledByPolls((u, v) => phases.get(`${u}/${v}`)), () => now);
      assert.equal(r.reserve('1', 'd1'), true);
      r.commit('1', 'd1', 'v1', now + 120_000);
      assert.equal(r.reserve('1', 'd1'), false, 'no poll yet is not "settled": a second trigger must not pass');
      phases.set('1/v1', 'pending');
      assert.equal(r.reserve('1', 'd1'), false);
      phases.set('1/v1', 'accepted');
      assert.equal(r.reserve('1', 'd1'), true, 'the poll ended: free');
    });

    it('an unknown outcome holds the slot until the deadline, whatever the polls say (issue 14, defect 2)', () => {
      const r = new TriggerRegistry(() => true, () => now);
      r.reserve('1', 'd1');
      r.holdUnknown('1', 'd1', now + 120_000);
      now += 119_000;
      const p = r.pending('1', 'd1');
      assert.equal(p?.outcomeUnknown, true);
      assert.equal(r.reserve('1', 'd1'), false);
      assert.match(alreadyPendingMessage(p as PendingTrigger, now), /may already have been sent.*watch the phone.*1s/);
      now += 1_000;
      assert.equal(r.reserve('1', 'd1'), true);
    });

    it('only a refusal proves nothing was sent: before the request, or a 4xx with an error body (issue 14, defect 2)', () => {
      assert.equal(triggerFailureIsRefusal(new OneLoginError('notFound', 'x', { httpStatus: 404, refused: true })), true);
      assert.equal(triggerFailureIsRefusal(new OneLoginError('invalidInput', 'no credentials')), true);
      for (const e of [
        new OneLoginError('timeout', 'x'),
        new OneLoginError('network', 'reset', { code: 'ECONNRESET' }),
        new OneLoginError('server', 'x', { httpStatus: 502 }),
        new OneLoginError('invalidResponse', 'no id', { httpStatus: 201 }),
        new OneLoginError('invalidResponse', 'html', { httpStatus: 404 }),
      ]) {
        assert.equal(triggerFailureIsRefusal(e), false, e.kind);
      }
      assert.match(outcomeUnknownMessage('timeout', now + 90_000, now), /may have been sent: watch the phone.*90s.*Send Another Push/);
    });

    it('the refusal says how long is left and which verification is pending', () => {
      const msg = alreadyPendingMessage({ userId: '1', deviceId: 'd1', verificationId: 'v-123', deadline: now + 41_200, since: now }, now);
      assert.match(msg, /^A push for this user and device is already pending \(42s left\)/);
      assert.match(msg, /v-123/);
      assert.match(alreadyPendingMessage({ userId: '1', deviceId: 'd1', since: now }, now), /already being sent/);
    });
  });
});
