import { strict as assert } from 'node:assert';
import { parseBaseUrl, isLoopbackHost } from '../../src/onelogin/baseUrl';
import { idProblem, validateUserId, validateVerificationId, validateDeviceId } from '../../src/onelogin/ids';
import { OneLoginError } from '../../src/onelogin/errors';

function invalidInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof OneLoginError && e.kind === 'invalidInput' && pattern.test(e.message));
}

describe('ids', () => {
  it('accepts UUIDs and digit strings, trimmed, and numbers', () => {
    assert.equal(validateVerificationId(' 406fefd4-8a36-4aee-880c-f3e4a928e27d '), '406fefd4-8a36-4aee-880c-f3e4a928e27d');
    assert.equal(validateUserId('3919988'), '3919988');
    assert.equal(validateDeviceId(3919988), '3919988');
  });
  for (const bad of ['a/b', '..', '.', 'a?b', 'a#b', 'a b', 'ünïcode', '42%2F..', '\u0000']) {
    it(`refuses ${JSON.stringify(bad)} with a message that shows what is allowed`, () => {
      invalidInput(() => validateUserId(bad), /letters, digits/);
    });
  }
  it('refuses empty and over-long ids', () => {
    invalidInput(() => validateVerificationId('  '), /empty/);
    invalidInput(() => validateVerificationId(undefined), /empty/);
    invalidInput(() => validateVerificationId('x'.repeat(10_000)), /10000 characters/);
  });
  it('keeps a 10 kB id out of the message', () => {
    const message = idProblem(validateUserId, `/${'y'.repeat(10_000)}`) ?? '';
    assert.ok(message.length < 300, message);
  });
  it('idProblem is undefined for a valid id', () => {
    assert.equal(idProblem(validateUserId, '42'), undefined);
  });
});

describe('parseBaseUrl', () => {
  it('accepts the documented hosts and normalises to the origin', () => {
    assert.equal(parseBaseUrl('https://acme.onelogin.com').origin, 'https://acme.onelogin.com');
    assert.equal(parseBaseUrl('https://api.us.onelogin.com/').origin, 'https://api.us.onelogin.com');
    assert.equal(parseBaseUrl(' https://api.eu.onelogin.com ').origin, 'https://api.eu.onelogin.com');
    assert.equal(parseBaseUrl('https://gateway.example.com:8443').origin, 'https://gateway.example.com:8443');
  });
  it('allows plain http only on loopback', () => {
    assert.equal(parseBaseUrl('http://127.0.0.1:4567').origin, 'http://127.0.0.1:4567');
    assert.equal(parseBaseUrl('http://localhost:1').origin, 'http://localhost:1');
    assert.equal(parseBaseUrl('http://[::1]:8080').origin, 'http://[::1]:8080');
    invalidInput(() => parseBaseUrl('http://acme.onelogin.com'), /unencrypted/);
    invalidInput(() => parseBaseUrl('http://10.0.0.1'), /unencrypted/);
    invalidInput(() => parseBaseUrl('http://127.0.0.1.evil.com'), /unencrypted/);
  });
  it('refuses userinfo, paths, queries, other schemes and garbage', () => {
    invalidInput(() => parseBaseUrl('https://a@b.onelogin.com'), /user name/);
    invalidInput(() => parseBaseUrl('https://a:pw@b.onelogin.com'), /user name/);
    invalidInput(() => parseBaseUrl('https://acme.onelogin.com/api/2'), /has a path/);
    invalidInput(() => parseBaseUrl('https://acme.onelogin.com/?x=1'), /query/);
    invalidInput(() => parseBaseUrl('ftp://acme.onelogin.com'), /only https/);
    invalidInput(() => parseBaseUrl('javascript:alert(1)'), /only https/);
    invalidInput(() => parseBaseUrl('acme.onelogin.com'), /not a valid URL/);
    invalidInput(() => parseBaseUrl(''), /empty/);
  });
  it('knows loopback hosts', () => {
    assert.ok(isLoopbackHost('127.5.6.7'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('128.0.0.1'));
  });
});
