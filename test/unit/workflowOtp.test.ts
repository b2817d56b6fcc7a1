import { strict as assert } from 'node:assert';
import { normalizeOtp, otpProblem, outcomeActions, parseOtpArgs, wrongCodeMessage } from '../../src/verification/otp';

describe('workflow: one-time codes', () => {
  it('arguments: ids validated, the code normalised, deviceId optional', () => {
    assert.deepEqual(parseOtpArgs(undefined), { kind: 'interactive' });
    assert.deepEqual(parseOtpArgs({ userId: '1001', verificationId: 'v-1', otp: '123 456' }), {
      kind: 'ok',
      value: { userId: '1001', verificationId: 'v-1', otp: '123456' },
    });
    assert.deepEqual(parseOtpArgs({ userId: 1001, verificationId: 'v-1', otp: '012345', deviceId: 77 }), {
      kind: 'ok',
      value: { userId: '1001', verificationId: 'v-1', otp: '012345', deviceId: '77' },
    });
    const badId = parseOtpArgs({ userId: '1001', verificationId: '../x', otp: '123456' });
    assert.equal(badId.kind, 'invalid');
    if (badId.kind === 'invalid') assert.equal(badId.error.code, 'INVALID_ID');
  });

  it('a code given as a number is refused with a clear message: a number has lost any leading zero (issue 14, defect 8)', () => {
    for (const otp of [12345, 123456, 0]) {
      const r = parseOtpArgs({ userId: '1', verificationId: 'v', otp });
      assert.equal(r.kind, 'invalid', String(otp));
      if (r.kind === 'invalid') {
        assert.equal(r.error.code, 'INVALID_ARGUMENT');
        assert.match(r.error.message, /string.*leading zero/);
      }
    }
  });

  it('a malformed code is refused before anything is sent, and the message never repeats it', () => {
    for (const otp of [undefined, '', '12', 'x'.repeat(33), '12345!', '12;rm -rf', { a: 1 }, -5, 1.5]) {
      const r = parseOtpArgs({ userId: '1', verificationId: 'v', otp });
      assert.equal(r.kind, 'invalid', JSON.stringify(otp));
      if (r.kind === 'invalid') {
        assert.equal(r.error.code, 'INVALID_ARGUMENT');
        if (typeof otp === 'string' && otp.length > 0) assert.ok(!r.error.message.includes(otp), 'the code is not echoed');
      }
    }
  });

  it('input box validation', () => {
    assert.equal(otpProblem('123456'), undefined);
    assert.equal(otpProblem(' 123-456 '), undefined);
    assert.match(otpProblem('') ?? '', /Enter the one-time code/);
    assert.match(otpProblem('12') ?? '', /4 to 32/);
    assert.equal(normalizeOtp(' 12 34-56 '), '123456');
  });

  it('a wrong code: a clear message that says the verification is unchanged', () => {
    const m = wrongCodeMessage('v-1', 401, 'Authentication Failure');
    assert.match(m, /^OneLogin rejected the code for verification v-1 \(HTTP 401: Authentication Failure\)/);
    assert.match(m, /unchanged/);
  });

  it('what a watched verification offers when it ends', () => {
    assert.deepEqual(outcomeActions('expired', { triggered: true }), ['enterOtp', 'sendAgain', 'showPanel'], 'an expired push: OTP fallback, or a new push');
    assert.deepEqual(outcomeActions('expired', { triggered: false }), ['enterOtp', 'pollAgain', 'showPanel']);
    assert.deepEqual(outcomeActions('rejected', { triggered: true }), ['sendAgain', 'showPanel']);
    assert.deepEqual(outcomeActions('accepted', { triggered: true }), ['showPanel']);
    assert.deepEqual(outcomeActions('cancelled', { triggered: true }), []);
    assert.deepEqual(outcomeActions('pending', { triggered: true }), [], 'nothing is offered (no "Send Again") while pending');
  });
});
