import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OneLoginClient } from '../../src/onelogin/client';
import { OneLoginError, type OneLoginErrorKind } from '../../src/onelogin/errors';
import type { Exchange } from '../../src/onelogin/exchange';
import type { Credentials } from '../../src/onelogin/types';
import { startSimulator, type SimRequest as SimRequestLike, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'sim-access-token-0123456789abcdef';
const USER = '3919988';

describe('OneLoginClient against the simulator (real HTTP)', () => {
  let sim: Simulator;
  let exchanges: Exchange[];
  let credentials: Credentials | undefined;

  function client(overrides: Partial<ConstructorParameters<typeof OneLoginClient>[0]> = {}): OneLoginClient {
    return new OneLoginClient({
      baseUrl: sim.url,
      getCredentials: async () => credentials,
      onExchange: (e) => exchanges.push(e),
      requestTimeoutMs: 2000,
      ...overrides,
    });
  }

  async function rejectsWith(p: Promise<unknown>, kind: OneLoginErrorKind, pattern?: RegExp): Promise<OneLoginError> {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof OneLoginError, `expected OneLoginError, got ${String(e)}`);
      assert.equal(e.kind, kind, e.message);
      if (pattern) assert.match(e.message, pattern);
      return e;
    }
    assert.fail(`expected a ${kind} error`);
  }

  beforeEach(async () => {
    sim = await startSimulator({ accessTokens: [TOKEN], clientId: 'cid-0123456789', clientSecret: 'csecret-0123456789abcdef' });
    sim.addUser(USER);
    exchanges = [];
    credentials = { kind: 'accessToken', accessToken: TOKEN };
  });
  afterEach(async () => {
    await sim.close();
  });

  describe('verification status', () => {
    it('reads the documented array body, with a UUID id', async () => {
      const id = sim.addVerification(USER, { id: '406fefd4-8a36-4aee-880c-f3e4a928e27d', deviceId: '3919988', bodyShape: 'array' });
      const result = await client().getVerificationStatus(USER, id);
      assert.equal(result.status, 'pending');
      assert.equal(result.id, id);
      assert.equal(result.deviceId, '3919988');
      assert.equal(result.httpStatus, 200);
    });

    it('reads an object body too', async () => {
      const id = sim.addVerification(USER, { bodyShape: 'object', status: 'accepted' });
      assert.equal((await client().getVerificationStatus(USER, id)).status, 'accepted');
    });

    it('records the exchange verbatim and redacted', async () => {
      const id = sim.addVerification(USER, { id: '12345', faults: [{ kind: 'body', body: '[ {"id":"12345",   "status":"rejected","device_id":"7"} ]\n' }] });
      const result = await client().getVerificationStatus(USER, id);
      assert.equal(result.status, 'rejected');
      assert.equal(exchanges.length, 1);
      const ex = exchanges[0];
      assert.equal(ex.id, result.exchangeId);
      assert.equal(ex.method, 'GET');
      assert.equal(ex.origin, sim.url);
      assert.equal(ex.path, `/api/2/mfa/users/${USER}/verifications/12345`);
      assert.equal(ex.status, 200);
      assert.equal(ex.bodyText, '[ {"id":"12345",   "status":"rejected","device_id":"7"} ]\n');
      assert.equal(ex.isJson, true);
      assert.equal(ex.sizeBytes, Buffer.byteLength(ex.bodyText));
      assert.ok(ex.durationMs >= 0);
      assert.match(ex.requestHeaders.authorization, /^Bearer ••••cdef$/);
      assert.ok(!JSON.stringify(ex).includes(TOKEN), 'no token anywhere in the exchange');
      // what the server really received: the token, as `Bearer <token>`
      const seen = sim.requests.find((r) => r.path.endsWith('/12345'));
      assert.equal(seen?.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('polls share one redacted request-header record while nothing changes; new credentials get a new one', async () => {
      const id = sim.addVerification(USER);
      const c = client();
      await c.getVerificationStatus(USER, id);
      await c.getVerificationStatus(USER, id);
      const [a, b] = exchanges;
      assert.equal(a.requestHeaders, b.requestHeaders, 'redacted once, shared');
      assert.ok(Object.isFrozen(a.requestHeaders), 'no listener can change what another exchange shows');
      assert.equal(a.requestHeaders.accept, 'application/json');
      assert.equal(a.requestHeaders['user-agent'], 'onelogin-mfa-verify-vscode');
      assert.match(a.requestHeaders.authorization, /^Bearer ••••cdef$/);
      const seen = sim.requests.find((r) => r.path.endsWith(id));
      assert.equal(seen?.headers.accept, 'application/json');
      assert.equal(seen?.headers['user-agent'], 'onelogin-mfa-verify-vscode');

      credentials = { kind: 'accessToken', accessToken: 'another-token-not-known-WXYZ' };
      await c.getVerificationStatus(USER, id).catch(() => undefined); // 401: the simulator does not know it
      const last = exchanges.at(-1);
      assert.match(last?.requestHeaders.authorization ?? '', /^Bearer ••••WXYZ$/);
      assert.ok(!JSON.stringify(exchanges).includes('another-token-not-known-WXYZ'));
    });

    it('records x-request-id and the rate-limit headers', async () => {
      const id = sim.addVerification(USER);
      await client().getVerificationStatus(USER, id);
      const ex = exchanges[0];
      assert.match(ex.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.equal(ex.requestId, ex.responseHeaders['x-request-id']);
      assert.equal(typeof ex.rateLimit?.remaining, 'number');
    });

    it('validates ids before sending anything', async () => {
      await rejectsWith(client().getVerificationStatus(USER, '../devices'), 'invalidInput', /letters, digits/);
      await rejectsWith(client().getVerificationStatus('a/b', 'x'), 'invalidInput');
      assert.equal(sim.requests.length, 0);
    });

    it('URL-encodes ids (a dot-only id never reaches the server)', async () => {
      const id = sim.addVerification(USER, { id: 'v.1_a-B' });
      await client().getVerificationStatus(USER, id);
      assert.equal(sim.requests.at(-1)?.path, `/api/2/mfa/users/${USER}/verifications/v.1_a-B`);
    });
  });

  describe('errors a person can act on', () => {
    it('401 (shape 1) is auth and says to set new credentials', async () => {
      credentials = { kind: 'accessToken', accessToken: 'wrong-token-value' };
      const id = sim.addVerification(USER);
      const e = await rejectsWith(client().getVerificationStatus(USER, id), 'auth', /Authentication Failure.*access token/);
      assert.equal(e.httpStatus, 401);
      assert.ok(e.requestId, 'request id kept for support');
    });

    it('404 (shape 2) is notFound and names both ids', async () => {
      const e = await rejectsWith(client().getVerificationStatus(USER, 'no-such-id'), 'notFound', /no verification no-such-id for user 3919988/);
      assert.match(e.message, /NotFound/);
    });

    it('429 is rateLimited with the Retry-After wait', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'rateLimited', retryAfter: '7' }] });
      const e = await rejectsWith(client().getVerificationStatus(USER, id), 'rateLimited', /wait 7 s/);
      assert.equal(e.retryAfterMs, 7000);
    });

    it('429 without Retry-After uses X-RateLimit-Reset', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'rateLimited', rateLimitReset: 30 }] });
      const e = await rejectsWith(client().getVerificationStatus(USER, id), 'rateLimited');
      assert.equal(e.retryAfterMs, 30_000);
    });

    it('429 with Retry-After as an HTTP date is measured against the reply\'s Date header, not the local clock (issue 14, defect 4)', async () => {
      sim.setClockSkew(300_000); // the server's clock is 5 minutes ahead of this machine's
      const id = sim.addVerification(USER, { faults: [{ kind: 'rateLimited', retryAfterDateSeconds: 30 }] });
      const e = await rejectsWith(client().getVerificationStatus(USER, id), 'rateLimited', /wait 30 s/);
      assert.equal(e.retryAfterMs, 30_000);
    });

    it('500 is server', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'serverError' }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'server', /server error \(HTTP 500/);
    });

    it('an HTML page is invalidResponse with its content type and an excerpt', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'html', status: 200 }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /text\/html: "<.*not JSON/);
      assert.equal(exchanges[0].isJson, false);
      assert.match(exchanges[0].bodyText, /<html/i);
      assert.equal(exchanges[0].error?.kind, 'invalidResponse');
    });

    it('an HTML 502 from a proxy is server, with an excerpt', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'html' }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'server', /HTTP 502, text\/html/);
    });

    it('truncated JSON and an empty body are invalidResponse', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'malformedJson' }, { kind: 'empty', status: 200 }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /not JSON/);
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /body is empty/);
    });

    it('a JSON string or an unknown status is invalidResponse', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'body', body: '"pending"' }, { kind: 'body', body: '[{"id":"x","status":"expired"}]' }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /did not contain a verification/);
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /unknown verification status "expired"/);
    });

    it('a server that never answers times out, and the deadline holds against a trickling body', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'hang' }, { kind: 'trickle', bytesPerSecond: 1 }] });
      const c = client({ requestTimeoutMs: 300 });
      await rejectsWith(c.getVerificationStatus(USER, id), 'timeout', /did not answer .* within 0.3 s/);
      await rejectsWith(c.getVerificationStatus(USER, id), 'timeout');
      assert.equal(exchanges.length, 2);
      assert.equal(exchanges[0].status, undefined);
      assert.equal(exchanges[0].error?.kind, 'timeout');
    });

    it('a connection reset mid-body is network', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'reset' }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'network', /Could not reach/);
    });

    it('connection refused is network, with the code and what to check', async () => {
      const url = sim.url;
      await sim.close();
      const c = new OneLoginClient({ baseUrl: url, getCredentials: async () => credentials, onExchange: (e) => exchanges.push(e) });
      await rejectsWith(c.getVerificationStatus(USER, 'x1'), 'network', /ECONNREFUSED.*check the base URL/);
      assert.equal(exchanges[0].error?.kind, 'network');
    });

    it('a reply over the size limit is invalidResponse, not read into memory', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'huge', bytes: 3 * 1024 * 1024 }] });
      await rejectsWith(client({ maxResponseBytes: 1024 * 1024 }).getVerificationStatus(USER, id), 'invalidResponse', /larger than 1 MiB/);
    });

    it('a reply cut at the size limit is recorded as cut, with its status and size, not as "no response" (issue 14, defect 8)', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'huge', bytes: 3 * 1024 * 1024 }] });
      await rejectsWith(client({ maxResponseBytes: 1024 * 1024 }).getVerificationStatus(USER, id), 'invalidResponse');
      const ex = exchanges.at(-1) as Exchange;
      assert.equal(ex.status, 200);
      assert.equal(ex.bodyTruncated, true);
      assert.equal(ex.sizeBytes, 3 * 1024 * 1024);
      assert.ok(ex.requestId, 'x-request-id kept');
      assert.equal(ex.error?.kind, 'invalidResponse');
    });

    it('cancel aborts the request in flight', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'hang' }] });
      const controller = new AbortController();
      const pending = client().getVerificationStatus(USER, id, controller.signal);
      await sim.waitForRequests((r) => r.path.includes(id));
      controller.abort();
      await rejectsWith(pending, 'cancelled');
    });

    it('with no credentials says so, with a code the UI can act on, and sends nothing', async () => {
      credentials = undefined;
      const e = await rejectsWith(client().getVerificationStatus(USER, 'x1'), 'invalidInput', /No OneLogin credentials/);
      assert.equal(e.code, 'NO_CREDENTIALS');
      assert.equal(sim.requests.length, 0);
    });

    it('refuses a bad base URL before anything is sent', () => {
      assert.throws(() => new OneLoginClient({ baseUrl: 'http://example.com', getCredentials: async () => credentials }), /unencrypted/);
    });
  });

  describe('redirects and echoes never leak the token', () => {
    let other: http.Server;
    let otherHits: number;
    beforeEach(async () => {
      otherHits = 0;
      other = http.createServer((_req, res) => {
        otherHits++;
        res.end('[{"id":"x","status":"accepted"}]');
      });
      await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    });

    it('does not follow a redirect to another host', async () => {
      const port = (other.address() as AddressInfo).port;
      const id = sim.addVerification(USER, { faults: [{ kind: 'redirect', location: `http://127.0.0.1:${port}/steal` }] });
      await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse', /redirect \(HTTP 302\) to 127\.0\.0\.1:\d+.*never sent elsewhere/);
      assert.equal(otherHits, 0);
    });

    it('scrubs a token the server echoes back from the body and the error', async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'status', status: 400, body: JSON.stringify({ message: `bad token ${TOKEN}` }), contentType: 'application/json' }] });
      const e = await rejectsWith(client().getVerificationStatus(USER, id), 'invalidResponse');
      assert.ok(!e.message.includes(TOKEN));
      assert.ok(!JSON.stringify(exchanges).includes(TOKEN));
      assert.match(exchanges[0].bodyText, /bad token <redacted>/);
    });
  });

  describe('client credentials', () => {
    beforeEach(() => {
      credentials = { kind: 'clientCredentials', clientId: 'cid-0123456789', clientSecret: 'csecret-0123456789abcdef' };
    });

    it('mints a token with the documented header, once, and keeps it out of every record', async () => {
      const id = sim.addVerification(USER);
      const c = client();
      await c.getVerificationStatus(USER, id);
      await c.getVerificationStatus(USER, id);
      const tokenCalls = sim.requests.filter((r) => r.path === '/auth/oauth2/v2/token');
      assert.equal(tokenCalls.length, 1);
      assert.equal(tokenCalls[0].headers.authorization, 'client_id:cid-0123456789, client_secret:csecret-0123456789abcdef');
      assert.deepEqual(JSON.parse(tokenCalls[0].body), { grant_type: 'client_credentials' });
      const minted = String(sim.requests.at(-1)?.headers.authorization).replace(/^Bearer /, '');
      const recorded = JSON.stringify(exchanges);
      assert.equal(exchanges.length, 3);
      assert.ok(!recorded.includes(minted), 'minted token not recorded');
      assert.ok(!recorded.includes('csecret-0123456789abcdef'), 'secret not recorded');
      assert.match(exchanges[0].bodyText, /"access_token":\s*"<redacted>"/);
    });

    it('on 401 mints a new token and retries exactly once', async () => {
      const id = sim.addVerification(USER);
      const c = client();
      await c.getVerificationStatus(USER, id);
      sim.revokeAccessTokens();
      sim.clearRequests();
      assert.equal((await c.getVerificationStatus(USER, id)).status, 'pending');
      assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path.split('/').slice(0, 3).join('/')} ${r.status}`), [
        'GET /api/2 401',
        'POST /auth/oauth2 200',
        'GET /api/2 200',
      ]);
    });

    it('wrong client credentials are auth, pointing at the client credentials', async () => {
      credentials = { kind: 'clientCredentials', clientId: 'cid-0123456789', clientSecret: 'not-the-secret' };
      await rejectsWith(client().getVerificationStatus(USER, 'x1'), 'auth', /client id and secret/);
      assert.equal(sim.requests.filter((r) => r.path.startsWith('/api/')).length, 0);
    });
  });

  describe('exchange ids (issue 14, defect 8)', () => {
    it('stay unique after a reload: a new extension host starts above every id of the previous one', async () => {
      const id = sim.addVerification(USER);
      await client().getVerificationStatus(USER, id);
      const before = exchanges.at(-1)?.id as number;
      // A reload is a fresh module instance (a new extension host): load the client module anew.
      const modulePath = require.resolve('../../src/onelogin/client');
      const cached = require.cache[modulePath];
      delete require.cache[modulePath];
      try {
        const t0 = Date.now();
        while (Date.now() <= t0) await new Promise((r) => setImmediate(r)); // the reload happens later (not in the same millisecond)
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../../src/onelogin/client') as typeof import('../../src/onelogin/client');
        const after: Exchange[] = [];
        await new fresh.OneLoginClient({ baseUrl: sim.url, getCredentials: async () => credentials, onExchange: (e) => after.push(e) }).getVerificationStatus(USER, id);
        assert.ok(after[0].id > before, `${after[0].id} > ${before}`);
        assert.ok(String(after[0].id).length <= 15, 'fits the body URI pattern');
      } finally {
        if (cached) require.cache[modulePath] = cached;
      }
    });
  });

  describe('the other MFA calls', () => {
    it('lists devices and factors', async () => {
      const devices = await client().listDevices(USER);
      assert.ok(devices.length >= 1);
      assert.equal(typeof devices[0].deviceId, 'string');
      assert.ok(devices.some((d) => d.isDefault));
      const factors = await client().listFactors(USER);
      assert.ok(factors.length >= 1);
    });

    it('triggers a verification with POST and reads the 201 body', async () => {
      const [device] = await client().listDevices(USER);
      const triggered = await client().triggerVerification(USER, { deviceId: device.deviceId, expiresIn: 120, customMessage: 'Deploy to prod?' });
      assert.equal(triggered.httpStatus, 201);
      assert.ok(triggered.id);
      assert.ok(triggered.expiresAt && !Number.isNaN(Date.parse(triggered.expiresAt)));
      const post = sim.requests.find((r) => r.method === 'POST');
      assert.deepEqual(JSON.parse(post?.body ?? '{}'), { device_id: device.deviceId, expires_in: 120, custom_message: 'Deploy to prod?' });
      assert.equal(post?.headers['content-type'], 'application/json');
      assert.equal((await client().getVerificationStatus(USER, triggered.id)).status, 'pending');
    });

    it("returns the trigger reply's Date header, so the local deadline can be checked against expires_at", async () => {
      const [device] = await client().listDevices(USER);
      const before = Date.now();
      const triggered = await client().triggerVerification(USER, { deviceId: device.deviceId, expiresIn: 60 });
      assert.ok(triggered.serverDate, 'the simulator (node:http) sends Date');
      const date = Date.parse(triggered.serverDate);
      assert.ok(Math.abs(date - before) < 5_000, triggered.serverDate);
      const left = Date.parse(triggered.expiresAt ?? '') - date;
      assert.ok(Math.abs(left - 60_000) <= 5_000, `expires_at - Date = ${left} ms`);
    });

    describe('trigger replies are checked, and failures say whether the push may be out (issue 14, defects 2 and 3)', () => {
      async function deviceOf(): Promise<string> {
        return (await client().listDevices(USER))[0].deviceId;
      }

      it('an id with a newline (a forged log line) is refused, quoted on one line; the error does not claim a refusal', async () => {
        const device = await deviceOf();
        sim.queueFault({ kind: 'body', status: 201, body: JSON.stringify([{ id: 'abc\n2026-01-01 [info] forged', device_id: device, expires_at: '2030-01-01T00:00:00Z' }]) }, { method: 'POST' });
        const e = await rejectsWith(client().triggerVerification(USER, { deviceId: device }), 'invalidResponse', /verification id "abc\\n2026-01-01 \[info\] forged" is not a usable id.*may have been sent/);
        assert.ok(!e.message.includes('\n'));
        assert.equal(e.refused, false);
        const ex = exchanges.at(-1);
        assert.equal(ex?.status, 201, 'the exchange shows what OneLogin sent');
      });

      it('a 201 without an id, or with a path-like id, is unusable and not a refusal', async () => {
        const device = await deviceOf();
        for (const body of [[{ device_id: device }], [{ id: '../../devices' }], {}]) {
          sim.queueFault({ kind: 'body', status: 201, body: JSON.stringify(body) }, { method: 'POST' });
          const e = await rejectsWith(client().triggerVerification(USER, { deviceId: device }), 'invalidResponse', /may have been sent/);
          assert.equal(e.refused, false);
        }
      });

      it('an unusable expires_at is dropped and quoted (the deadline falls back to now + expires_in); a bad device id falls back to the one asked', async () => {
        const device = await deviceOf();
        sim.queueFault({ kind: 'body', status: 201, body: JSON.stringify([{ id: 'v-1', device_id: 'x/y', expires_at: 'tomorrow\u202e' }]) }, { method: 'POST' });
        const t = await client().triggerVerification(USER, { deviceId: device });
        assert.equal(t.id, 'v-1');
        assert.equal(t.expiresAt, undefined);
        assert.equal(t.unusableExpiresAt, '"tomorrow "', 'quoted on one plain line (the bidi override is gone)');
        assert.equal(t.deviceId, device);
      });

      it('a 4xx with an error body is a refusal (nothing was sent); a timeout, a 5xx or a proxy page is not', async () => {
        const device = await deviceOf();
        const refused = await rejectsWith(client().triggerVerification(USER, { deviceId: 'no-such-device' }), 'notFound');
        assert.equal(refused.refused, true);
        sim.queueFault({ kind: 'serverError', status: 502 }, { method: 'POST' });
        assert.equal((await rejectsWith(client().triggerVerification(USER, { deviceId: device }), 'server')).refused, false);
        sim.queueFault({ kind: 'html', status: 404 }, { method: 'POST' });
        assert.equal((await rejectsWith(client().triggerVerification(USER, { deviceId: device }), 'notFound')).refused, false, 'a proxy\'s 404 page proves nothing');
        sim.queueFault({ kind: 'hang' }, { method: 'POST' });
        assert.equal((await rejectsWith(client({ requestTimeoutMs: 300 }).triggerVerification(USER, { deviceId: device }), 'timeout')).refused, false);
        credentials = undefined;
        assert.equal((await rejectsWith(client().triggerVerification(USER, { deviceId: device }), 'invalidInput')).refused, true);
      });
    });

    it('refuses out-of-range trigger input before sending', async () => {
      await rejectsWith(client().triggerVerification(USER, { deviceId: '1', expiresIn: 901 }), 'invalidInput', /30 to 900/);
      await rejectsWith(client().triggerVerification(USER, { deviceId: '1', customMessage: 'x'.repeat(161) }), 'invalidInput', /161 characters/);
      assert.equal(sim.requests.length, 0);
    });

    it('verifies an OTP: right code accepted, wrong code a result (not thrown), code redacted in the record', async () => {
      const id = sim.addVerification(USER, { otp: '654321' });
      const wrong = await client().verifyOtp(USER, id, '111111');
      assert.equal(wrong.accepted, false);
      assert.equal(wrong.httpStatus, 401);
      const right = await client().verifyOtp(USER, id, '654321');
      assert.equal(right.accepted, true);
      assert.equal((await client().getVerificationStatus(USER, id)).status, 'accepted');
      assert.ok(!exchanges.some((e) => e.requestBody?.includes('654321')));
    });

    describe('a 401 to a one-time code: wrong code or bad token (issue 14, defect 1)', () => {
      const puts = (): SimRequestLike[] => sim.requests.filter((r) => r.method === 'PUT');

      it('a revoked minted token: checks the token, mints a new one and sends the right code once more: accepted', async () => {
        credentials = { kind: 'clientCredentials', clientId: 'cid-0123456789', clientSecret: 'csecret-0123456789abcdef' };
        const id = sim.addVerification(USER, { otp: '654321' });
        const c = client();
        await c.getVerificationStatus(USER, id); // caches a token
        sim.revokeAccessTokens();
        sim.clearRequests();
        const r = await c.verifyOtp(USER, id, '654321');
        assert.equal(r.accepted, true);
        assert.deepEqual(sim.requests.map((q) => `${q.method} ${q.path.replace(/\/api\/2\/mfa\/users\/.*/, '/api/2/…')} ${q.status}`), [
          'PUT /api/2/… 401',
          'GET /auth/rate_limit 401',
          'POST /auth/oauth2/v2/token 200',
          'PUT /api/2/… 200',
        ]);
        assert.equal(sim.getVerification(USER, id)?.status, 'accepted');
      });

      it('a wrong code with a good token: one PUT, one token check, a wrong-code result; the code is never sent twice', async () => {
        credentials = { kind: 'clientCredentials', clientId: 'cid-0123456789', clientSecret: 'csecret-0123456789abcdef' };
        const id = sim.addVerification(USER, { otp: '654321' });
        const r = await client().verifyOtp(USER, id, '111111');
        assert.equal(r.accepted, false);
        assert.equal(r.httpStatus, 401);
        assert.equal(puts().length, 1);
        assert.equal(sim.requests.filter((q) => q.path === '/auth/rate_limit').length, 1);
      });

      it('a wrong code after the stale token was replaced: sent once more (the first 401 was the token), never a third time', async () => {
        credentials = { kind: 'clientCredentials', clientId: 'cid-0123456789', clientSecret: 'csecret-0123456789abcdef' };
        const id = sim.addVerification(USER, { otp: '654321' });
        const c = client();
        await c.getVerificationStatus(USER, id);
        sim.revokeAccessTokens();
        const r = await c.verifyOtp(USER, id, '111111');
        assert.equal(r.accepted, false);
        assert.equal(puts().length, 2);
      });

      it('a revoked plain access token: the right code is not a "wrong code" but "the token is no longer valid", sent once', async () => {
        const id = sim.addVerification(USER, { otp: '654321' });
        sim.revokeAccessTokens();
        for (let i = 0; i < 3; i++) {
          const e = await rejectsWith(client().verifyOtp(USER, id, '654321'), 'auth', /no longer valid/);
          assert.equal(e.code, 'TOKEN_INVALID');
        }
        assert.equal(puts().length, 3, 'one PUT per attempt, never a blind resend');
        assert.equal(sim.getVerification(USER, id)?.status, 'pending');
        assert.ok(!JSON.stringify(exchanges).includes(TOKEN), 'the token is not recorded');
      });

      it('the token check itself fails (a 500): the outcome is unclear and said so; the code is not sent again', async () => {
        const id = sim.addVerification(USER, { otp: '654321' });
        sim.queueFault({ kind: 'serverError' }, { path: '/auth/rate_limit' });
        const e = await rejectsWith(client().verifyOtp(USER, id, '111111'), 'auth', /cannot be told/);
        assert.equal(e.code, 'OTP_401_UNCLEAR');
        assert.equal(puts().length, 1);
      });
    });

    it('reads the rate limit', async () => {
      const info = await client().getRateLimit();
      assert.equal(info.limit, 5000);
      assert.equal(typeof info.remaining, 'number');
    });
  });
});
