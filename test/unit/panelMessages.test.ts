import { strict as assert } from 'node:assert';
import { parseWebviewMessage, WEBVIEW_MESSAGE_TYPES } from '../../src/panel/messages';

describe('webview message validation', () => {
  it('accepts each allowed message, rebuilt from its known fields only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 'x' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'copyBody', exchangeId: 7, command: 'workbench.action.terminal.new' }), { type: 'copyBody', exchangeId: 7 });
    assert.deepEqual(parseWebviewMessage({ type: 'openBody', exchangeId: 1 }), { type: 'openBody', exchangeId: 1 });
    assert.deepEqual(parseWebviewMessage({ type: 'stopPoll', key: '42/406fefd4-8a36' }), { type: 'stopPoll', key: '42/406fefd4-8a36' });
    assert.deepEqual(parseWebviewMessage({ type: 'recheck', userId: ' 42 ', verificationId: 'abc' }), { type: 'recheck', userId: '42', verificationId: 'abc' });
    assert.deepEqual(parseWebviewMessage({ type: 'poll', userId: '42', verificationId: 'abc' }), { type: 'poll', userId: '42', verificationId: 'abc' });
    assert.deepEqual(parseWebviewMessage({ type: 'clearFinished' }), { type: 'clearFinished' });
    assert.deepEqual(parseWebviewMessage({ type: 'showLog' }), { type: 'showLog' });
    assert.deepEqual(parseWebviewMessage({ type: 'copyCurl', exchangeId: 3, command: 'x' }), { type: 'copyCurl', exchangeId: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'exportLog', format: 'har', uri: '/etc/passwd' }), { type: 'exportLog', format: 'har' });
    assert.deepEqual(parseWebviewMessage({ type: 'exportLog', format: 'json' }), { type: 'exportLog', format: 'json' });
    assert.deepEqual(parseWebviewMessage({ type: 'clearHistory', all: true }), { type: 'clearHistory' });
    assert.deepEqual(parseWebviewMessage({ type: 'enterOtp', userId: '42', verificationId: 'abc', otp: '123456' }), { type: 'enterOtp', userId: '42', verificationId: 'abc' });
    assert.deepEqual(parseWebviewMessage({ type: 'sendVerification', userId: '42', deviceId: '3919988', customMessage: 'x' }), {
      type: 'sendVerification',
      userId: '42',
      deviceId: '3919988',
    });
    assert.deepEqual(parseWebviewMessage({ type: 'selectExchange', exchangeId: 4, shell: 'cmd' }), { type: 'selectExchange', exchangeId: 4 });
    assert.equal(parseWebviewMessage({ type: 'selectExchange', exchangeId: -1 }), undefined);
    assert.equal(WEBVIEW_MESSAGE_TYPES.length, 14);
  });

  it('ignores unknown types and anything that is not a message object', () => {
    for (const raw of [
      undefined,
      null,
      'ready',
      42,
      [],
      { type: 'runCommand', command: 'onelogin-mfa.clearCredentials' },
      { type: 'executeCommand' },
      { type: 'READY' },
      { type: 'constructor' },
      { type: '__proto__' },
      { type: 'toString' },
      { command: 'ready' },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });

  it('rejects fields of the wrong type or form', () => {
    for (const raw of [
      { type: 'copyBody' },
      { type: 'copyBody', exchangeId: '7' },
      { type: 'copyBody', exchangeId: 0 },
      { type: 'copyBody', exchangeId: -1 },
      { type: 'copyBody', exchangeId: 1.5 },
      { type: 'openBody', exchangeId: Number.MAX_VALUE },
      { type: 'stopPoll', key: 42 },
      { type: 'stopPoll', key: '../../etc' },
      { type: 'stopPoll', key: '42' },
      { type: 'stopPoll', key: 'a/b/c' },
      { type: 'stopPoll', key: `${'a'.repeat(200)}/${'b'.repeat(200)}` },
      { type: 'recheck', userId: 42, verificationId: 'abc' },
      { type: 'recheck', userId: '42' },
      { type: 'recheck', userId: '42', verificationId: '../admin' },
      { type: 'poll', userId: '42/x', verificationId: 'abc' },
      { type: 'poll', userId: '', verificationId: 'abc' },
      { type: 'copyCurl' },
      { type: 'copyCurl', exchangeId: '3' },
      { type: 'exportLog' },
      { type: 'exportLog', format: 'xml' },
      { type: 'exportLog', format: 'HAR' },
      { type: 'enterOtp', userId: '42' },
      { type: 'enterOtp', userId: '42', verificationId: 'a/b' },
      { type: 'sendVerification', userId: '42' },
      { type: 'sendVerification', userId: '42', deviceId: 3919988 },
      { type: 'sendVerification', userId: '42', deviceId: '../devices' },
      { type: 'sendVerification', userId: '4 2', deviceId: '1' },
    ]) {
      assert.equal(parseWebviewMessage(raw), undefined, JSON.stringify(raw));
    }
  });
});
