import { strict as assert } from 'node:assert';
import { maskSecret, redactAuthorization, SecretScrubber, REDACTED } from '../../src/onelogin/redact';

describe('redaction', () => {
  const token = 'tok_1234567890abcdefWXYZ';
  it('masks a long secret to at most its last 4 characters', () => {
    assert.equal(maskSecret(token), '••••WXYZ');
    assert.equal(maskSecret('short'), '••••');
  });
  it('redacts every Authorization form', () => {
    for (const value of [`Bearer ${token}`, `bearer:${token}`, `bearer: ${token}`]) {
      const out = redactAuthorization(value);
      assert.ok(!out.includes(token), out);
      assert.match(out, /••••WXYZ$/);
    }
    const creds = redactAuthorization('client_id:abcdef123456, client_secret:supersecretvalue');
    assert.equal(creds, `client_id:${REDACTED}, client_secret:${REDACTED}`);
    assert.equal(redactAuthorization('Basic dXNlcjpwYXNz'), 'Basic ••••');
    assert.equal(redactAuthorization('something-else'), REDACTED);
  });
  it('learns each secret once: adding a known one again changes nothing (the client re-adds its credentials per call)', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(token);
    const v = scrubber.version;
    scrubber.add(token, 'abc', undefined);
    assert.equal(scrubber.version, v);
    scrubber.add('another-secret-value');
    assert.equal(scrubber.version, v + 1);
    assert.equal(scrubber.scrub(`${token} another-secret-value`), `${REDACTED} ${REDACTED}`);
  });
  it('scrubs known secrets from text and headers, whatever the header name case', () => {
    const scrubber = new SecretScrubber();
    scrubber.add(token, undefined, 'abc');
    assert.equal(scrubber.scrub(`echo ${token} and ${token}`), `echo ${REDACTED} and ${REDACTED}`);
    assert.equal(scrubber.scrub('abc stays: too short to track'), 'abc stays: too short to track');
    const headers = scrubber.scrubHeaders({ AUTHORIZATION: `Bearer ${token}`, 'x-echo': token });
    assert.ok(!JSON.stringify(headers).includes(token));
  });
});
