import { strict as assert } from 'node:assert';
import { matchesStop, parseExpiresAt, parseStopArgs, parseVerificationArgs } from '../../src/commands/args';
import { actionsFor } from '../../src/commands/errorActions';
import { checkResult, pollResult } from '../../src/commands/results';
import { OneLoginError, toResultError } from '../../src/onelogin/errors';

describe('command model', () => {
  describe('arguments', () => {
    it('no argument object means interactive', () => {
      for (const arg of [undefined, null, 'x', 42, [], new (class Uri {})()]) {
        assert.deepEqual(parseVerificationArgs(arg, false), { kind: 'interactive' });
      }
    });

    it('valid ids are trimmed; numbers are accepted as ids', () => {
      assert.deepEqual(parseVerificationArgs({ userId: ' 42 ', verificationId: '406fefd4-8a36' }, false), {
        kind: 'ok',
        value: { userId: '42', verificationId: '406fefd4-8a36' },
      });
      assert.deepEqual(parseVerificationArgs({ userId: 42, verificationId: 7 }, false), { kind: 'ok', value: { userId: '42', verificationId: '7' } });
    });

    it('an object with missing or bad ids is an error result, not a prompt', () => {
      const r = parseVerificationArgs({ userId: '42' }, false);
      assert.equal(r.kind, 'invalid');
      if (r.kind === 'invalid') {
        assert.equal(r.error.kind, 'invalidInput');
        assert.equal(r.error.code, 'INVALID_ID');
        assert.equal(r.userId, '42');
      }
      assert.equal(parseVerificationArgs({ userId: '42', verificationId: '../../x' }, false).kind, 'invalid');
    });

    it('poll options: expiresAt (ISO or epoch ms) and wait', () => {
      const r = parseVerificationArgs({ userId: '1', verificationId: '2', expiresAt: '2026-11-29T10:02:00Z', wait: false }, true);
      assert.deepEqual(r, { kind: 'ok', value: { userId: '1', verificationId: '2', expiresAt: Date.parse('2026-11-29T10:02:00Z'), wait: false } });
      assert.equal(parseExpiresAt(1_800_000_000_000), 1_800_000_000_000);
      assert.equal(parseExpiresAt('soon'), 'invalid');
      assert.equal(parseExpiresAt(-1), 'invalid');
      assert.equal(parseVerificationArgs({ userId: '1', verificationId: '2', wait: 'no' }, true).kind, 'invalid');
      // Poll-only options are ignored by check.
      assert.equal(parseVerificationArgs({ userId: '1', verificationId: '2', expiresAt: 'soon' }, false).kind, 'ok');
    });

    it('stop: everything, or by verification id (and user id)', () => {
      assert.deepEqual(parseStopArgs(undefined), { kind: 'all' });
      assert.deepEqual(parseStopArgs({}), { kind: 'all' });
      assert.deepEqual(parseStopArgs({ verificationId: 'v1' }), { kind: 'some', value: { verificationId: 'v1' } });
      assert.equal(parseStopArgs({ verificationId: 'a/b' }).kind, 'invalid');
      assert.ok(matchesStop({ userId: '1', verificationId: 'v1' }, { verificationId: 'v1' }));
      assert.ok(!matchesStop({ userId: '1', verificationId: 'v1' }, { verificationId: 'v1', userId: '2' }));
    });
  });

  describe('results', () => {
    it('check: state is the status', () => {
      assert.deepEqual(checkResult('42', 'v', { id: 'v', status: 'accepted', httpStatus: 200, exchangeId: 3, deviceId: '9' }), {
        state: 'accepted',
        status: 'accepted',
        httpStatus: 200,
        userId: '42',
        verificationId: 'v',
        deviceId: '9',
      });
    });

    it('poll: terminal state, status and http status', () => {
      const r = pollResult({ phase: 'rejected', userId: '42', verificationId: 'v', attempt: 4, expiresAt: 99, lastHttpStatus: 200 });
      assert.equal(r.state, 'rejected');
      assert.equal(r.status, 'rejected');
      assert.equal(r.httpStatus, 200);
      assert.equal(r.attempt, 4);
      const e = pollResult({ phase: 'error', userId: '42', verificationId: 'v', attempt: 1, expiresAt: 0, lastHttpStatus: 401, error: { kind: 'auth', message: 'Authentication Failure', httpStatus: 401 } });
      assert.deepEqual(e.error, { kind: 'auth', message: 'Authentication Failure', httpStatus: 401 });
    });

    it('errors: OneLoginError fields are kept; anything else is not echoed', () => {
      const e = toResultError(new OneLoginError('invalidInput', 'No OneLogin credentials are stored.', { code: 'NO_CREDENTIALS' }));
      assert.deepEqual(e, { kind: 'invalidInput', message: 'No OneLogin credentials are stored.', code: 'NO_CREDENTIALS' });
      const weird = toResultError(new Error('config.headers.Authorization = Bearer tok_secret'));
      assert.ok(!weird.message.includes('tok_secret'));
      assert.equal(weird.code, 'INTERNAL');
    });
  });

  describe('error actions', () => {
    it('offers what fixes the problem', () => {
      assert.deepEqual(actionsFor({ kind: 'invalidInput', code: 'NO_CREDENTIALS' }), ['setAccessToken', 'setClientCredentials']);
      assert.deepEqual(actionsFor({ kind: 'invalidInput', code: 'INVALID_BASE_URL' }), ['openSettings']);
      assert.equal(actionsFor({ kind: 'auth' })[0], 'setAccessToken');
      assert.equal(actionsFor({ kind: 'notFound' })[0], 'checkIds');
      assert.ok(actionsFor({ kind: 'network' }).includes('openSettings'));
      assert.deepEqual(actionsFor({ kind: 'cancelled' }), []);
      for (const kind of ['auth', 'forbidden', 'notFound', 'rateLimited', 'server', 'network', 'timeout', 'invalidResponse', 'invalidInput'] as const) {
        const a = actionsFor({ kind });
        assert.ok(a.length >= 1 && a.length <= 3, kind);
      }
    });
  });
});
