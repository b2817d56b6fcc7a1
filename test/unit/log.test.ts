import { strict as assert } from 'node:assert';
import { formatBytes, formatExchange, logExchange, type LogSink } from '../../src/records/log';
import type { Exchange } from '../../src/onelogin/exchange';

const TOKEN = 'tok_abcdefghijklmnop1234';
const base: Exchange = {
  id: 1,
  startedAt: '2026-11-29T10:00:00.000Z',
  method: 'GET',
  origin: 'https://acme.onelogin.com',
  path: '/api/2/mfa/users/42/verifications/v1',
  requestHeaders: { Authorization: `Bearer ${TOKEN}` },
  status: 200,
  statusText: 'OK',
  responseHeaders: { 'set-cookie': `x=${TOKEN}` },
  bodyText: `{"echo":"${TOKEN}"}`,
  bodyTruncated: false,
  isJson: true,
  durationMs: 123.4,
  sizeBytes: 2048,
  requestId: 'req-9',
  rateLimit: { limit: 5000, remaining: 4988 },
};

function sink(): LogSink & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  const rec = (level: string) => (m: string | Error) => void lines.push([level, String(m)]);
  return { lines, trace: rec('trace'), debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

describe('log lines', () => {
  it('method, URL path, status, timing, size, request id, rate limit', () => {
    assert.equal(
      formatExchange(base),
      'GET https://acme.onelogin.com/api/2/mfa/users/42/verifications/v1 → 200 OK, 123 ms, 2.0 KiB, x-request-id req-9, rate limit 4988/5000 left',
    );
  });

  it('never headers or bodies (so never a token)', () => {
    const s = sink();
    logExchange(s, base);
    assert.ok(!JSON.stringify(s.lines).includes(TOKEN));
  });

  it('failures are warnings with the error kind; a query string is elided', () => {
    const s = sink();
    logExchange(s, { ...base, status: undefined, statusText: undefined, path: '/x?token=abc', error: { kind: 'network', message: 'connect ECONNREFUSED 127.0.0.1:9' } });
    assert.equal(s.lines[0][0], 'warn');
    assert.match(s.lines[0][1], /no response \(network\)/);
    assert.ok(!s.lines[0][1].includes('token=abc'));
    const t = sink();
    logExchange(t, { ...base, status: 404, statusText: 'Not Found' });
    assert.equal(t.lines[0][0], 'warn');
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
  });
});
