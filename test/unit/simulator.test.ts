// The OneLogin API simulator, tested over real HTTP on 127.0.0.1 with node:http (no keep-alive pool,
// so every test sees its own connections). No fixed sleeps: time-based rules use an injected clock.

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { startSimulator, type SimFault, type Simulator, type SimulatorOptions } from '../mock-onelogin/server';

const TOKEN = 'sim-access-token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHAPE1_401 = { status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' } };
const SHAPE2_404 = { statusCode: 404, name: 'NotFound', message: "The resource can't be found or the server has not found anything matching the Request-URI" };
const SUCCESS = { status: { type: 'success', code: 200, message: 'Success', error: false } };
const OUT_DIR = path.join(__dirname, '..', 'mock-onelogin');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** How many data events the body came in. */
  chunks: number;
  ms: number;
}

interface CallOptions {
  method?: string;
  /** The Authorization header; default `Bearer sim-access-token`; null sends none. */
  auth?: string | null;
  body?: string | object;
}

/** One request on a fresh connection; rejects if the connection fails or the body is cut short. */
function call(target: { url: string }, urlPath: string, o: CallOptions = {}): Promise<Reply> {
  const started = performance.now();
  const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  const auth = o.auth === undefined ? `Bearer ${TOKEN}` : o.auth;
  if (auth !== null) headers.authorization = auth;
  return new Promise((resolve, reject) => {
    const req = http.request(`${target.url}${urlPath}`, { method: o.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) reject(new Error('response cut short'));
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), chunks: chunks.length, ms: performance.now() - started }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

function parse<T>(r: Reply): T {
  return JSON.parse(r.body) as T;
}

const statusPath = (user: string, id: string): string => `/api/2/mfa/users/${encodeURIComponent(user)}/verifications/${encodeURIComponent(id)}`;

interface StatusItem {
  id: string;
  status: string;
  device_id: string;
}

async function pollStatus(sim: Simulator, user: string, id: string): Promise<string> {
  const r = await call(sim, statusPath(user, id));
  assert.equal(r.status, 200, r.body);
  return parse<StatusItem[]>(r)[0].status;
}

describe('OneLogin API simulator', function () {
  this.timeout(10000);
  const started: Simulator[] = [];
  let sim: Simulator;
  let clock: number;

  async function start(opts: SimulatorOptions = {}): Promise<Simulator> {
    const s = await startSimulator({ now: () => clock, ...opts });
    started.push(s);
    return s;
  }

  beforeEach(async () => {
    clock = Date.parse('2025-03-01T12:00:00.000Z');
    sim = await start();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });

  describe('startup', () => {
    it('listens on 127.0.0.1 with a free port and names it in url', () => {
      assert.ok(sim.port > 0);
      assert.equal(sim.url, `http://127.0.0.1:${sim.port}`);
    });

    it('answers every response with x-request-id, rate-limit headers and JSON content type', async () => {
      const a = await call(sim, '/auth/rate_limit');
      const b = await call(sim, '/nowhere', { auth: null });
      for (const r of [a, b]) {
        assert.match(String(r.headers['x-request-id']), UUID);
        assert.equal(r.headers['x-ratelimit-limit'], '5000');
        assert.match(String(r.headers['x-ratelimit-remaining']), /^\d+$/);
        assert.match(String(r.headers['x-ratelimit-reset']), /^\d+$/);
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      }
      assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
    });
  });

  describe('POST /auth/oauth2/v2/token', () => {
    const grant = { grant_type: 'client_credentials' };
    interface TokenBody {
      access_token: string;
      created_at: string;
      expires_in: number;
      refresh_token: string;
      token_type: string;
      account_id: number;
    }
    const basic = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

    it('mints a flat token object with the client_id/client_secret header, and the token works', async () => {
      const r = await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth: 'client_id:sim-client-id, client_secret:sim-client-secret', body: grant });
      assert.equal(r.status, 200);
      const t = parse<TokenBody>(r);
      assert.deepEqual(Object.keys(t).sort(), ['access_token', 'account_id', 'created_at', 'expires_in', 'refresh_token', 'token_type']);
      assert.equal(t.token_type, 'bearer');
      assert.equal(t.expires_in, 36000);
      assert.equal(t.created_at, new Date(clock).toISOString());
      assert.equal(typeof t.account_id, 'number');
      assert.equal((await call(sim, '/auth/rate_limit', { auth: `Bearer ${t.access_token}` })).status, 200);
    });

    it('accepts HTTP Basic and spaced header forms, and returns the same token until it is revoked', async () => {
      const forms = [basic('sim-client-id', 'sim-client-secret'), 'client_id: sim-client-id ,  client_secret: sim-client-secret', 'client_id:sim-client-id,client_secret:sim-client-secret'];
      const tokens = [];
      for (const auth of forms) {
        const r = await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth, body: grant });
        assert.equal(r.status, 200, auth);
        tokens.push(parse<TokenBody>(r).access_token);
      }
      assert.equal(new Set(tokens).size, 1, 'same credentials, same token');
      sim.revokeAccessTokens();
      const again = parse<TokenBody>(await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth: forms[0], body: grant }));
      assert.notEqual(again.access_token, tokens[0]);
      assert.equal((await call(sim, '/auth/rate_limit', { auth: `Bearer ${tokens[0]}` })).status, 401);
    });

    it('expires minted tokens after tokenTtlSeconds and then issues a new one', async () => {
      const s = await start({ tokenTtlSeconds: 10 });
      const mint = async (): Promise<TokenBody> => parse<TokenBody>(await call(s, '/auth/oauth2/v2/token', { method: 'POST', auth: basic('sim-client-id', 'sim-client-secret'), body: grant }));
      const first = await mint();
      assert.equal(first.expires_in, 10);
      clock += 4000;
      assert.equal((await mint()).expires_in, 6, 'the same token, with what is left of its life');
      clock += 6000;
      assert.equal((await call(s, '/auth/rate_limit', { auth: `Bearer ${first.access_token}` })).status, 401);
      assert.notEqual((await mint()).access_token, first.access_token);
    });

    it('answers 401 (shape 1) to wrong or missing credentials and 400 to a wrong or absent grant_type', async () => {
      const bad = await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth: basic('sim-client-id', 'nope'), body: grant });
      assert.equal(bad.status, 401);
      assert.deepEqual(parse(bad), SHAPE1_401);
      assert.equal((await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth: null, body: grant })).status, 401);
      for (const body of [{ grant_type: 'password' }, {}, 'not json']) {
        const r = await call(sim, '/auth/oauth2/v2/token', { method: 'POST', auth: basic('sim-client-id', 'sim-client-secret'), body });
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(parse<{ status: { code: number } }>(r).status.code, 400);
      }
    });

    it('serves the legacy v1 endpoint wrapped in status + data[]', async () => {
      const r = await call(sim, '/auth/oauth2/token', { method: 'POST', auth: 'client_id:sim-client-id, client_secret:sim-client-secret', body: grant });
      const b = parse<{ status: unknown; data: TokenBody[] }>(r);
      assert.deepEqual(b.status, { error: false, code: 200, type: 'success', message: 'Success' });
      assert.equal(b.data.length, 1);
      assert.equal(b.data[0].token_type, 'bearer');
    });

    it('revokes a token with POST /auth/oauth2/revoke', async () => {
      const auth = 'client_id:sim-client-id, client_secret:sim-client-secret';
      const r = await call(sim, '/auth/oauth2/revoke', { method: 'POST', auth, body: { access_token: TOKEN } });
      assert.deepEqual([r.status, parse(r)], [200, SUCCESS]);
      assert.equal((await call(sim, '/auth/rate_limit')).status, 401);
      assert.equal((await call(sim, '/auth/oauth2/revoke', { method: 'POST', auth, body: {} })).status, 400);
      assert.equal((await call(sim, '/auth/oauth2/revoke', { method: 'POST', auth: null, body: { access_token: 'x' } })).status, 401);
    });
  });

  describe('access tokens on API calls', () => {
    it('accepts Bearer, bearer, bearer: and bearer:<space> forms', async () => {
      for (const auth of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `bearer:${TOKEN}`, `bearer: ${TOKEN}`, `BEARER ${TOKEN}`]) {
        assert.equal((await call(sim, '/auth/rate_limit', { auth })).status, 200, auth);
      }
    });

    it('answers 401 shape 1 to a missing, unknown or malformed token', async () => {
      sim.addUser('u1');
      for (const auth of [null, 'Bearer nope', 'Bearer', `Basic ${TOKEN}`, `Bearer ${TOKEN} extra`]) {
        const r = await call(sim, '/api/2/mfa/users/u1/devices', { auth });
        assert.equal(r.status, 401, String(auth));
        assert.deepEqual(parse(r), SHAPE1_401);
      }
    });

    it('mints, expires and revokes tokens from the scripting API', async () => {
      const minted = sim.mintAccessToken();
      assert.notEqual(minted, TOKEN);
      assert.equal((await call(sim, '/auth/rate_limit', { auth: `Bearer ${minted}` })).status, 200);
      sim.expireAccessToken(minted);
      assert.equal((await call(sim, '/auth/rate_limit', { auth: `Bearer ${minted}` })).status, 401);
      assert.equal((await call(sim, '/auth/rate_limit')).status, 200);
      sim.revokeAccessTokens();
      assert.equal((await call(sim, '/auth/rate_limit')).status, 401, 'pre-issued tokens are revoked too');
      assert.equal((await call(sim, '/auth/rate_limit', { auth: `Bearer ${sim.mintAccessToken()}` })).status, 200);
    });

    it('uses the configured pre-issued tokens and client credentials', async () => {
      const s = await start({ accessTokens: ['t1', 't2'], clientId: 'cid', clientSecret: 'sec' });
      assert.equal((await call(s, '/auth/rate_limit', { auth: 'Bearer t2' })).status, 200);
      assert.equal((await call(s, '/auth/rate_limit')).status, 401);
      const r = await call(s, '/auth/oauth2/v2/token', { method: 'POST', auth: 'client_id:cid, client_secret:sec', body: { grant_type: 'client_credentials' } });
      assert.equal(r.status, 200);
    });
  });

  describe('factors and devices', () => {
    it('lists factors and devices (default: Protect as default, Voice), ids as strings, no simulator-only fields', async () => {
      sim.addUser('3919988');
      const factors = parse<{ factor_id: number; name: string; auth_factor_name: string }[]>(await call(sim, '/api/2/mfa/users/3919988/factors'));
      assert.ok(factors.length > 0);
      assert.ok(factors.every((f) => typeof f.factor_id === 'number' && f.name && f.auth_factor_name));
      const r = await call(sim, '/api/2/mfa/users/3919988/devices');
      assert.equal(r.status, 200);
      const devices = parse<Record<string, unknown>[]>(r);
      assert.deepEqual(devices.map((d) => [d.type_display_name, d.default]), [['OneLogin Protect', true], ['OneLogin Voice', false]]);
      for (const d of devices) {
        assert.deepEqual(Object.keys(d).sort(), ['auth_factor_name', 'default', 'device_id', 'type_display_name', 'user_display_name']);
        assert.match(String(d.device_id), /^\d+$/);
      }
    });

    it('serves scripted devices and 404 (shape 2) for an unknown user', async () => {
      sim.addUser('u2', [{ device_id: 'd1', user_display_name: 'Phone', type_display_name: 'OneLogin SMS', auth_factor_name: 'SMS', default: true, needsOtp: true }]);
      const devices = parse<Record<string, unknown>[]>(await call(sim, '/api/2/mfa/users/u2/devices'));
      assert.deepEqual(devices, [{ device_id: 'd1', user_display_name: 'Phone', type_display_name: 'OneLogin SMS', auth_factor_name: 'SMS', default: true }]);
      const r = await call(sim, '/api/2/mfa/users/nobody/factors');
      assert.deepEqual([r.status, parse(r)], [404, SHAPE2_404]);
    });
  });

  describe('POST /verifications (trigger)', () => {
    const trigger = (body: unknown, user = 'u1'): Promise<Reply> => call(sim, `/api/2/mfa/users/${user}/verifications`, { method: 'POST', body: JSON.stringify(body) });
    interface Triggered {
      id: string;
      device_id: string;
      user_id: string;
      expires_at: string;
    }
    let device: string;
    beforeEach(async () => {
      sim.addUser('u1');
      device = parse<{ device_id: string; default: boolean }[]>(await call(sim, '/api/2/mfa/users/u1/devices')).find((d) => d.default)?.device_id ?? '';
    });

    it('answers 201 with a one-element array; the verification exists and stays pending', async () => {
      const r = await trigger({ device_id: device });
      assert.equal(r.status, 201);
      const [t] = parse<Triggered[]>(r);
      assert.match(t.id, UUID);
      assert.equal(t.device_id, device);
      assert.equal(t.user_id, 'u1');
      assert.equal(t.expires_at, new Date(clock + 120_000).toISOString());
      for (let i = 0; i < 5; i++) assert.equal(await pollStatus(sim, 'u1', t.id), 'pending');
      assert.equal(sim.getVerification('u1', t.id)?.polls, 5);
    });

    it('honours expires_in (1..900), custom_message up to 160 chars and redirect_to', async () => {
      const [t] = parse<Triggered[]>(await trigger({ device_id: device, expires_in: 900, custom_message: 'x'.repeat(160), redirect_to: 'https://example.com' }));
      assert.equal(t.expires_at, new Date(clock + 900_000).toISOString());
      assert.equal((await trigger({ device_id: Number(device), expires_in: 1 })).status, 201, 'a numeric device_id is fine');
    });

    it('answers 400 with a field error to bad input, 404 (shape 2) to an unknown device or user', async () => {
      const cases: [unknown, string][] = [
        [{ device_id: device, expires_in: 901 }, 'expires_in'],
        [{ device_id: device, expires_in: 0 }, 'expires_in'],
        [{ device_id: device, expires_in: 1.5 }, 'expires_in'],
        [{ device_id: device, custom_message: 'x'.repeat(161) }, 'custom_message'],
        [{}, 'device_id'],
      ];
      for (const [body, field] of cases) {
        const r = await trigger(body);
        assert.equal(r.status, 400, JSON.stringify(body));
        const b = parse<{ message: string; errors: { field: string; message: string[] }[] }>(r);
        assert.equal(b.errors[0].field, field);
        assert.ok(b.errors[0].message[0].length > 0);
      }
      const unknownDevice = await trigger({ device_id: '999' });
      assert.deepEqual([unknownDevice.status, parse(unknownDevice)], [404, SHAPE2_404]);
      assert.equal((await trigger({ device_id: device }, 'nobody')).status, 404);
      assert.equal((await call(sim, '/api/2/mfa/users/u1/verifications', { method: 'POST', body: '{"device_id":' })).status, 400);
    });

    it('follows setNextTriggerScript once, then setDefaultSettle', async () => {
      sim.setNextTriggerScript({ id: 'scripted-1', settle: { to: 'rejected', afterPolls: 2 }, bodyShape: 'object' });
      const [first] = parse<Triggered[]>(await trigger({ device_id: device }));
      assert.equal(first.id, 'scripted-1');
      assert.equal(parse<StatusItem>(await call(sim, statusPath('u1', first.id))).status, 'pending');
      assert.equal(parse<StatusItem>(await call(sim, statusPath('u1', first.id))).status, 'rejected');
      sim.setDefaultSettle({ to: 'accepted', afterPolls: 1 });
      const [second] = parse<Triggered[]>(await trigger({ device_id: device }));
      assert.match(second.id, UUID, 'the script was used once');
      assert.equal(await pollStatus(sim, 'u1', second.id), 'accepted');
    });
  });

  describe('GET /verifications/{id} (status)', () => {
    it('answers the documented one-element array by default, an object when asked', async () => {
      const id = sim.addVerification('3919988', { id: '406fefd4-8a36-4aee-880c-f3e4a928e27d', deviceId: '3919988' });
      const r = await call(sim, statusPath('3919988', id));
      assert.equal(r.status, 200);
      assert.deepEqual(parse(r), [{ id, status: 'pending', device_id: '3919988' }]);
      const obj = sim.addVerification('3919988', { id: 'o1', bodyShape: 'object', status: 'accepted' });
      assert.deepEqual(parse(await call(sim, statusPath('3919988', obj))), { id: 'o1', status: 'accepted', device_id: '3919988' });
      const s = await start({ statusBodyShape: 'object' });
      const sid = s.addVerification('u');
      assert.equal(parse<StatusItem>(await call(s, statusPath('u', sid))).status, 'pending');
    });

    it('defaults to a UUID id and the user default device', () => {
      sim.addUser('u1');
      const id = sim.addVerification('u1');
      assert.match(id, UUID);
      const v = sim.getVerification('u1', id);
      assert.deepEqual(v, { id, userId: 'u1', deviceId: v?.deviceId, status: 'pending', polls: 0, createdAt: new Date(clock).toISOString(), expiresAt: new Date(clock + 120_000).toISOString() });
      assert.match(v?.deviceId ?? '', /^\d+$/);
    });

    it('answers 404 (shape 2) to an unknown verification or user', async () => {
      sim.addVerification('u1', { id: 'v1' });
      for (const p of [statusPath('u1', 'v2'), statusPath('u2', 'v1')]) {
        const r = await call(sim, p);
        assert.deepEqual([r.status, parse(r)], [404, SHAPE2_404]);
      }
    });

    it('percent-decodes ids and treats them as opaque strings', async () => {
      const id = sim.addVerification('user one', { id: 'a/b c?d' });
      assert.equal(parse<StatusItem[]>(await call(sim, statusPath('user one', id)))[0].id, 'a/b c?d');
      assert.equal(sim.requests.at(-1)?.path, '/api/2/mfa/users/user%20one/verifications/a%2Fb%20c%3Fd');
    });

    it('keeps answering pending after expires_at (there is no server-side "expired")', async () => {
      const id = sim.addVerification('u1', { expiresInSeconds: 30 });
      clock += 3_600_000;
      assert.equal(await pollStatus(sim, 'u1', id), 'pending');
    });

    it('settles on the Nth poll (afterPolls)', async () => {
      const id = sim.addVerification('u1', { settle: { to: 'accepted', afterPolls: 3 } });
      assert.deepEqual([await pollStatus(sim, 'u1', id), await pollStatus(sim, 'u1', id), await pollStatus(sim, 'u1', id), await pollStatus(sim, 'u1', id)], [
        'pending',
        'pending',
        'accepted',
        'accepted',
      ]);
      assert.equal(sim.getVerification('u1', id)?.polls, 4);
    });

    it('settles N ms after creation (afterMs), checked when read', async () => {
      const id = sim.addVerification('u1', { settle: { to: 'rejected', afterMs: 5000 } });
      assert.equal(await pollStatus(sim, 'u1', id), 'pending');
      clock += 4999;
      assert.equal(sim.getVerification('u1', id)?.status, 'pending');
      clock += 1;
      assert.equal(sim.getVerification('u1', id)?.status, 'rejected');
      assert.equal(await pollStatus(sim, 'u1', id), 'rejected');
    });

    it('setStatus flips now and cancels the settle rule', async () => {
      const id = sim.addVerification('u1', { settle: { to: 'accepted', afterPolls: 2 } });
      sim.setStatus('u1', id, 'rejected');
      assert.equal(await pollStatus(sim, 'u1', id), 'rejected');
      assert.equal(await pollStatus(sim, 'u1', id), 'rejected');
      sim.setStatus('u1', id, 'pending');
      assert.equal(await pollStatus(sim, 'u1', id), 'pending');
      assert.throws(() => sim.setStatus('u1', 'nope', 'accepted'), /no verification nope/);
    });
  });

  describe('PUT /verifications/{id} (OTP)', () => {
    const put = (id: string, body: unknown): Promise<Reply> => call(sim, statusPath('u1', id), { method: 'PUT', body: JSON.stringify(body) });

    it('a wrong code is 401 shape 1 and changes nothing; the right one is the success wrapper and accepts', async () => {
      const id = sim.addVerification('u1', { otp: '654321' });
      const wrong = await put(id, { otp: '123456' });
      assert.deepEqual([wrong.status, parse(wrong)], [401, SHAPE1_401]);
      assert.equal(sim.getVerification('u1', id)?.status, 'pending');
      const right = await put(id, { otp: '654321', device_id: '1' });
      assert.deepEqual([right.status, parse(right)], [200, SUCCESS]);
      assert.equal(await pollStatus(sim, 'u1', id), 'accepted');
    });

    it('accepts the default code 123456; 404 for an unknown id; 400 without otp', async () => {
      const id = sim.addVerification('u1');
      assert.equal((await put('nope', { otp: '123456' })).status, 404);
      assert.equal((await put(id, {})).status, 400);
      assert.equal((await put(id, { otp: '123456' })).status, 200);
    });
  });

  describe('rate limit', () => {
    it('GET /auth/rate_limit reports the documented body without spending a call', async () => {
      sim.addUser('u1');
      await call(sim, '/api/2/mfa/users/u1/devices');
      const read = async (): Promise<Record<string, number>> => parse<{ data: Record<string, number> }>(await call(sim, '/auth/rate_limit')).data;
      const first = await read();
      assert.deepEqual(first, { 'X-RateLimit-Limit': 5000, 'X-RateLimit-Remaining': 4999, 'X-RateLimit-Reset': 3600 });
      assert.equal((await read())['X-RateLimit-Remaining'], 4999);
      assert.equal((await call(sim, '/auth/rate_limit', { auth: null })).status, 401);
    });

    it('spends one call per authenticated API request, answers 429 when exhausted, and resets with the window', async () => {
      const s = await start({ rateLimit: { limit: 3, windowMs: 60_000 } });
      s.addUser('u1');
      const devices = (auth?: string | null): Promise<Reply> => call(s, '/api/2/mfa/users/u1/devices', { auth });
      assert.equal((await devices('Bearer wrong')).status, 401);
      const remaining = [];
      for (let i = 0; i < 3; i++) {
        const r = await devices();
        assert.equal(r.status, 200);
        remaining.push(r.headers['x-ratelimit-remaining']);
      }
      assert.deepEqual(remaining, ['2', '1', '0'], 'a 401 spends nothing');
      clock += 15_000;
      const limited = await devices();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers['retry-after'], '45');
      assert.equal(limited.headers['x-ratelimit-reset'], '45');
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
      assert.equal(parse<{ statusCode: number }>(limited).statusCode, 429);
      clock += 45_000;
      assert.equal((await devices()).status, 200);
    });
  });

  describe('server clock skew (issue 14)', () => {
    it('clockSkewMs: every reply carries Date = now + skew, and expires_at is on that clock too', async () => {
      const s = await start({ clockSkewMs: 300_000 });
      s.addUser('u1');
      const r = await call(s, '/api/2/mfa/users/u1/devices');
      assert.equal(r.headers.date, new Date(clock + 300_000).toUTCString());
      const devices = parse<{ device_id: string }[]>(r);
      const t = await call(s, '/api/2/mfa/users/u1/verifications', { method: 'POST', body: { device_id: devices[0].device_id, expires_in: 60 } });
      assert.equal(parse<{ expires_at: string }[]>(t)[0].expires_at, new Date(clock + 360_000).toISOString());
      s.setClockSkew(undefined);
      const plain = await call(s, '/api/2/mfa/users/u1/devices');
      assert.ok(Math.abs(Date.parse(String(plain.headers.date)) - Date.now()) < 5_000, 'back to Node\'s own Date header');
    });

    it('a rateLimited fault can give Retry-After as an HTTP date on the server clock', async () => {
      const s = await start({ clockSkewMs: -120_000 });
      s.queueFault({ kind: 'rateLimited', retryAfterDateSeconds: 30 });
      const r = await call(s, '/api/2/mfa/users/u1/devices');
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], new Date(clock - 120_000 + 30_000).toUTCString());
      assert.equal(r.headers.date, new Date(clock - 120_000).toUTCString());
    });
  });

  describe('routing', () => {
    it('answers 404 (shape 2) to unknown routes and methods', async () => {
      sim.addVerification('u1', { id: 'v1' });
      for (const [method, p] of [
        ['GET', '/'],
        ['GET', '/api/2/nothing'],
        ['DELETE', statusPath('u1', 'v1')],
        ['GET', '/api/2/mfa/users/u1/verifications'],
        ['GET', '/auth/oauth2/v2/token'],
        ['GET', '/api/2/mfa/users/u1/%E0%A4%A'],
      ]) {
        const r = await call(sim, p, { method });
        assert.deepEqual([r.status, parse(r)], [404, SHAPE2_404], `${method} ${p}`);
      }
    });
  });

  describe('faults', () => {
    let id: string;
    beforeEach(() => {
      id = sim.addVerification('u1', { id: 'v1', deviceId: '7' });
    });
    /** One status GET of v1 whose reply is the given verification-level fault. */
    async function faulted(fault: SimFault): Promise<Reply> {
      sim.addVerification('u1', { id: 'v1', deviceId: '7', faults: [fault] });
      return call(sim, statusPath('u1', id));
    }

    it('status: an arbitrary reply with its headers', async () => {
      const r = await faulted({ kind: 'status', status: 418, body: 'teapot', contentType: 'text/plain', headers: { 'x-extra': 'yes' } });
      assert.deepEqual([r.status, r.body, r.headers['content-type'], r.headers['x-extra']], [418, 'teapot', 'text/plain', 'yes']);
      assert.match(String(r.headers['x-request-id']), UUID);
    });

    it('unauthorized and notFound use the documented shapes', async () => {
      const u = await faulted({ kind: 'unauthorized' });
      assert.deepEqual([u.status, parse(u)], [401, SHAPE1_401]);
      const n = await faulted({ kind: 'notFound' });
      assert.deepEqual([n.status, parse(n)], [404, SHAPE2_404]);
    });

    it('rateLimited: 429 with Retry-After and X-RateLimit-Reset only when given', async () => {
      const both = await faulted({ kind: 'rateLimited', retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT', rateLimitReset: 30 });
      assert.deepEqual([both.status, both.headers['retry-after'], both.headers['x-ratelimit-reset']], [429, 'Wed, 21 Oct 2026 07:28:00 GMT', '30']);
      const none = await faulted({ kind: 'rateLimited' });
      assert.equal(none.status, 429);
      assert.equal(none.headers['retry-after'], undefined);
      assert.equal(none.headers['x-ratelimit-reset'], undefined);
    });

    it('serverError: 500 by default, other 5xx on request, JSON body', async () => {
      const a = await faulted({ kind: 'serverError' });
      assert.equal(a.status, 500);
      assert.equal(parse<{ statusCode: number }>(a).statusCode, 500);
      assert.equal((await faulted({ kind: 'serverError', status: 503 })).status, 503);
    });

    it('html: a text/html proxy page, 502 by default', async () => {
      const r = await faulted({ kind: 'html' });
      assert.equal(r.status, 502);
      assert.equal(r.headers['content-type'], 'text/html');
      assert.match(r.body, /<html>[\s\S]*502 Bad Gateway/);
      assert.equal((await faulted({ kind: 'html', status: 200 })).status, 200);
    });

    it('malformedJson: 200 JSON content type, body that does not parse', async () => {
      const r = await faulted({ kind: 'malformedJson' });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      assert.throws(() => JSON.parse(r.body), SyntaxError);
    });

    it('empty: no body, with the status asked for', async () => {
      const r = await faulted({ kind: 'empty' });
      assert.deepEqual([r.status, r.body, r.headers['content-length']], [200, '', '0']);
      assert.equal((await faulted({ kind: 'empty', status: 503 })).status, 503);
    });

    it('redirect: 302 with Location', async () => {
      const r = await faulted({ kind: 'redirect', location: 'http://127.0.0.1:1/steal' });
      assert.deepEqual([r.status, r.headers.location], [302, 'http://127.0.0.1:1/steal']);
      assert.equal((await faulted({ kind: 'redirect', location: '/x', status: 307 })).status, 307);
    });

    it('body: the exact bytes, JSON content type unless told', async () => {
      const r = await faulted({ kind: 'body', body: '[ {"id":"v1","status":"accepted"} ]\n' });
      assert.deepEqual([r.status, r.body, r.headers['content-type']], [200, '[ {"id":"v1","status":"accepted"} ]\n', 'application/json; charset=utf-8']);
      const t = await faulted({ kind: 'body', body: 'x', contentType: 'text/plain', status: 202 });
      assert.deepEqual([t.status, t.headers['content-type']], [202, 'text/plain']);
    });

    it('huge: a streamed JSON body of exactly that many bytes', async () => {
      const r = await faulted({ kind: 'huge', bytes: 3 * 1024 * 1024 + 7 });
      assert.equal(r.status, 200);
      assert.equal(Buffer.byteLength(r.body), 3 * 1024 * 1024 + 7);
      assert.equal(r.headers['content-length'], String(3 * 1024 * 1024 + 7));
      assert.equal(parse<{ padding: string }>(r).padding.length, 3 * 1024 * 1024 + 7 - 14);
      assert.equal((await faulted({ kind: 'huge', bytes: 5 })).body, '     ');
    });

    it('slow: the normal answer, no sooner than delayMs', async () => {
      const r = await faulted({ kind: 'slow', delayMs: 150 });
      assert.deepEqual(parse(r), [{ id: 'v1', status: 'pending', device_id: '7' }]);
      assert.ok(r.ms >= 140, `took ${r.ms} ms`);
    });

    it('trickle: the normal body, in many small pieces, no faster than the rate', async () => {
      const r = await faulted({ kind: 'trickle', bytesPerSecond: 400 });
      assert.deepEqual(parse(r), [{ id: 'v1', status: 'pending', device_id: '7' }]);
      const bytes = Buffer.byteLength(r.body);
      assert.ok(r.chunks >= 2, `${r.chunks} chunks for ${bytes} bytes`);
      assert.ok(r.ms >= ((bytes - 20) / 400) * 1000, `took ${r.ms} ms for ${bytes} bytes`);
    });

    it('reset: headers and part of the body, then the connection is reset', async () => {
      sim.addVerification('u1', { id: 'v1', faults: [{ kind: 'reset' }] });
      let head: number | undefined;
      const error = await new Promise<Error>((resolve) => {
        const req = http.request(`${sim.url}${statusPath('u1', id)}`, { headers: { authorization: `Bearer ${TOKEN}` }, agent: false }, (res) => {
          head = res.statusCode;
          res.on('data', () => undefined);
          res.on('error', resolve);
          res.on('end', () => resolve(new Error('unexpected end')));
        });
        req.on('error', resolve);
        req.end();
      });
      assert.equal(head, 200);
      assert.match(`${(error as NodeJS.ErrnoException).code} ${error.message}`, /ECONNRESET|aborted/);
      assert.equal(sim.requests.at(-1)?.status, 200);
    });

    it('hang: never answers, and close() frees the connection at once', async () => {
      sim.addVerification('u1', { id: 'v1', faults: [{ kind: 'hang' }] });
      const pending = call(sim, statusPath('u1', id));
      const outcome = pending.then(
        () => 'answered',
        (e: Error) => e.message,
      );
      const [seen] = await sim.waitForRequests((r) => r.path === statusPath('u1', id));
      assert.equal(seen.status, undefined);
      const t0 = performance.now();
      await sim.close();
      assert.ok(performance.now() - t0 < 1000);
      assert.match(await outcome, /socket hang up|ECONNRESET|cut short/);
    });

    it('verification faults are consumed FIFO, one per status GET, and the poll still counts', async () => {
      sim.addVerification('u1', { id: 'v1', settle: { to: 'accepted', afterPolls: 2 }, faults: [{ kind: 'serverError' }, { kind: 'notFound' }] });
      assert.equal((await call(sim, statusPath('u1', id))).status, 500);
      assert.equal((await call(sim, statusPath('u1', id))).status, 404);
      assert.equal(await pollStatus(sim, 'u1', id), 'accepted', 'settled on poll 2, behind the fault');
      assert.equal(sim.getVerification('u1', id)?.polls, 3);
    });

    it('verification faults wait behind authentication', async () => {
      sim.addVerification('u1', { id: 'v1', faults: [{ kind: 'serverError' }] });
      assert.equal((await call(sim, statusPath('u1', id), { auth: 'Bearer bad' })).status, 401);
      assert.equal((await call(sim, statusPath('u1', id))).status, 500);
    });

    it('queueFault: matches method and path, FIFO, in front of auth, without touching the verification', async () => {
      sim.queueFault({ kind: 'serverError', status: 503 }, { method: 'get', path: statusPath('u1', id) });
      sim.queueFault({ kind: 'unauthorized' }, { path: /^\/api\/2\/mfa\/users\/u1\/verifications\// });
      sim.queueFault({ kind: 'html' }, { method: 'POST' });
      assert.equal((await call(sim, '/api/2/mfa/users/u1/devices')).status, 200, 'not matched');
      assert.equal((await call(sim, statusPath('u1', id), { auth: null })).status, 503, 'before auth');
      assert.equal((await call(sim, statusPath('u1', id))).status, 401);
      assert.equal((await call(sim, statusPath('u1', id))).status, 200, 'queue drained for GETs');
      assert.equal(sim.getVerification('u1', id)?.polls, 1);
      assert.equal((await call(sim, '/auth/oauth2/v2/token', { method: 'POST', body: {} })).status, 502);
    });

    it('queueFault: a string path matches the decoded form too; delivery faults keep the normal answer', async () => {
      sim.addVerification('u 1', { id: 'v1', deviceId: '7' });
      sim.queueFault({ kind: 'slow', delayMs: 1 }, { path: '/api/2/mfa/users/u 1/verifications/v1' });
      sim.queueFault({ kind: 'trickle', bytesPerSecond: 100_000 });
      const slow = await call(sim, statusPath('u 1', 'v1'));
      assert.deepEqual(parse(slow), [{ id: 'v1', status: 'pending', device_id: '7' }]);
      const trickled = await call(sim, '/nowhere');
      assert.deepEqual([trickled.status, parse(trickled)], [404, SHAPE2_404]);
    });
  });

  describe('request log and waiting', () => {
    it('records method, raw path, query, headers, body, time and answered status', async () => {
      sim.addUser('u1');
      await call(sim, '/api/2/mfa/users/u1/verifications?x=1', { method: 'POST', body: { device_id: 'nope' } });
      const [r] = sim.requests;
      assert.deepEqual([r.method, r.path, r.query, r.body, r.status, r.at], ['POST', '/api/2/mfa/users/u1/verifications', '?x=1', '{"device_id":"nope"}', 404, clock]);
      assert.equal(r.headers.authorization, `Bearer ${TOKEN}`);
      sim.clearRequests();
      assert.equal(sim.requests.length, 0);
    });

    it('waitForRequests resolves from past and future requests, counts, and sees answered statuses', async () => {
      await call(sim, '/a', { auth: null });
      assert.equal((await sim.waitForRequests((r) => r.path === '/a')).length, 1, 'already seen');
      const twoB = sim.waitForRequests((r) => r.path === '/b', 2);
      const answered404 = sim.waitForRequests((r) => r.path === '/c' && r.status === 404);
      await call(sim, '/b', { auth: null });
      await call(sim, '/c', { auth: null });
      await call(sim, '/b', { auth: null });
      assert.deepEqual((await twoB).map((r) => r.path), ['/b', '/b']);
      assert.equal((await answered404)[0].status, 404);
    });

    it('waitForRequests rejects on timeout and on close()', async () => {
      await assert.rejects(sim.waitForRequests((r) => r.path === '/never', 1, 30), /saw 0 of 1 matching requests within 30 ms/);
      const waiting = sim.waitForRequests(() => false, 1, 60_000);
      await sim.close();
      await assert.rejects(waiting, /simulator closed/);
    });

    it('emits request and response events, and logs lines without credentials', async () => {
      const lines: string[] = [];
      let twoLines: () => void = () => undefined;
      const logged = new Promise<void>((resolve) => (twoLines = resolve));
      const s = await start({
        log: (l) => {
          if (lines.push(l) === 2) twoLines();
        },
      });
      const events: string[] = [];
      const onRequest = (r: { path: string }): void => void events.push(`request ${r.path}`);
      s.on('request', onRequest);
      s.on('response', (r) => events.push(`response ${r.status}`));
      await call(s, '/auth/rate_limit');
      s.off('request', onRequest);
      await call(s, '/auth/rate_limit');
      assert.deepEqual(events, ['request /auth/rate_limit', 'response 200', 'response 200']);
      await logged;
      assert.match(lines[0], /^GET \/auth\/rate_limit 200 \d+ms$/);
      assert.ok(!lines.join('\n').includes(TOKEN));
    });
  });

  describe('close()', () => {
    it('is idempotent and refuses connections afterwards', async () => {
      const url = sim.url;
      const a = sim.close();
      const b = sim.close();
      assert.equal(a, b);
      await a;
      await sim.close();
      await assert.rejects(call({ url }, '/auth/rate_limit'), /ECONNREFUSED/);
    });

    it('leaves no open handles: a process with hung, trickling, slow and keep-alive connections exits on its own', async () => {
      const script = `
        const { startSimulator } = require(${JSON.stringify(path.join(OUT_DIR, 'server.js'))});
        (async () => {
          const sim = await startSimulator();
          const id = sim.addVerification('u1');
          const get = () => fetch(sim.url + '/api/2/mfa/users/u1/verifications/' + id, { headers: { authorization: 'Bearer sim-access-token' } }).then((r) => r.text());
          await get(); // leaves an idle keep-alive connection
          sim.queueFault({ kind: 'hang' });
          sim.queueFault({ kind: 'trickle', bytesPerSecond: 1 });
          sim.queueFault({ kind: 'slow', delayMs: 60000 });
          const inFlight = [get(), get(), get()].map((p) => p.then(() => 'answered', () => 'cut'));
          await sim.waitForRequests(() => true, 4);
          await sim.close();
          console.log(JSON.stringify(await Promise.all(inFlight)));
        })();`;
      const { code, stdout } = await runNode(['-e', script], 8000);
      assert.equal(code, 0);
      assert.equal(stdout.trim(), '["cut","cut","cut"]');
    });
  });

  describe('CLI', () => {
    it('starts with --demo --json, serves the demo ids, and stops cleanly on SIGTERM', async () => {
      const child = spawn(process.execPath, [path.join(OUT_DIR, 'cli.js'), '--demo', '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const first = await firstLine(child.stdout);
        const info = JSON.parse(first) as { url: string; accessToken: string; demo: { userId: string; accepted: string; rejected: string; pending: string } };
        assert.deepEqual(info.demo, { userId: '1001', accepted: 'demo-accepted', rejected: 'demo-rejected', pending: 'demo-pending' });
        assert.equal(info.accessToken, TOKEN);
        const target = { url: info.url };
        const poll = async (vid: string): Promise<string> => parse<StatusItem[]>(await call(target, statusPath('1001', vid)))[0].status;
        const accepted = [];
        for (let i = 0; i < 4; i++) accepted.push(await poll('demo-accepted'));
        assert.deepEqual(accepted, ['pending', 'pending', 'pending', 'accepted']);
        assert.deepEqual([await poll('demo-rejected'), await poll('demo-rejected'), await poll('demo-rejected')], ['pending', 'pending', 'rejected']);
        assert.equal(await poll('demo-pending'), 'pending');
      } finally {
        child.kill('SIGTERM');
      }
      assert.equal(await exited, 0);
    });

    it('refuses a bad --port with the usage text', async () => {
      const { code, stderr } = await runNode([path.join(OUT_DIR, 'cli.js'), '--port', 'x'], 5000);
      assert.equal(code, 2);
      assert.match(stderr, /--port must be 0\.\.65535[\s\S]*usage:/);
    });
  });
});

/** Runs node with args; resolves with its exit code and output, or kills it after timeoutMs (then code is null). */
function runNode(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c: Buffer): void => {
      buf += c.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        stream.off('data', onData);
        resolve(buf.slice(0, nl));
      }
    };
    stream.on('data', onData);
    stream.once('end', () => reject(new Error(`no line before end: ${buf}`)));
  });
}
