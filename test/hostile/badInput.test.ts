/**
 * Bad input: ids, base URLs, settings and response bodies that are wrong by accident or on purpose.
 * Each gets a clear error (what is wrong, what to do) or is handled; nothing throws anything but a
 * OneLoginError out of the API layer, and nothing bad input causes is ever sent (sim.requests stays empty).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BOUNDS, Config, DEFAULT_BASE_URL, resolveBaseUrl, type SettingsSource } from '../../src/config';
import { parseBaseUrl } from '../../src/onelogin/baseUrl';
import { OneLoginClient } from '../../src/onelogin/client';
import { OneLoginError } from '../../src/onelogin/errors';
import { MAX_ID_LENGTH, validateDeviceId, validateUserId, validateVerificationId } from '../../src/onelogin/ids';
import { parseWebviewMessage } from '../../src/panel/messages';
import { buildSnapshot } from '../../src/panel/snapshot';
import { displayBody, toExchangeView } from '../../src/records/exchangeDisplay';
import { VerificationPoller } from '../../src/verification/poller';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import {
  ACCESS_TOKEN,
  activeTimeouts,
  CLIENT_CREDENTIALS,
  HostMirror,
  newClient,
  PollRig,
  record,
  rejectsWith,
  SECRETS,
  simOptions,
  USER,
} from './helpers';

/** A settings section as VS Code merges it (folder > workspace > user > default). */
function settings(values: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown; defaultValue?: unknown }>): SettingsSource {
  return {
    get: <T>(key: string) => {
      const l = values[key] ?? {};
      return (l.workspaceFolderValue ?? l.workspaceValue ?? l.globalValue ?? l.defaultValue) as T | undefined;
    },
    inspect: <T>(key: string) => values[key] as { defaultValue?: T; globalValue?: T } | undefined,
  };
}

const root = join(__dirname, '..', '..', '..');
const deepArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);

describe('bad input: ids', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator(simOptions);
    sim.addUser(USER);
  });
  after(() => sim.close());

  const BAD: [string, unknown, RegExp][] = [
    ['a slash', 'abc/def', /not a OneLogin id: use only letters, digits, '-', '_' or '\.'/],
    ['a dot-dot segment', '..', /not a OneLogin id/],
    ['a single dot', '.', /not a OneLogin id/],
    ['a path traversal', '../../auth/oauth2/revoke', /not a OneLogin id/],
    ['a query', 'v1?admin=true', /not a OneLogin id/],
    ['a fragment', 'v1#frag', /not a OneLogin id/],
    ['a space inside', 'v 1', /not a OneLogin id/],
    ['a percent escape', '%2e%2e', /not a OneLogin id/],
    ['a backslash', 'v1\\..\\x', /not a OneLogin id/],
    ['an absolute URL', 'https://evil.example/x', /not a OneLogin id/],
    ['unicode letters', 'ünïcødé', /not a OneLogin id/],
    ['a right-to-left override', 'v1\u202Egpj.exe', /not a OneLogin id/],
    ['an emoji', '✅', /not a OneLogin id/],
    ['CR LF (header and log injection)', 'v1\r\nX-Injected: 1', /not a OneLogin id/],
    ['a NUL byte', 'v1\u0000', /not a OneLogin id/],
    ['an empty string', '', /is empty\. Enter the (user|verification|device) id as OneLogin shows it/],
    ['only spaces', '   ', /is empty/],
    ['10 kB long', 'a'.repeat(10_240), new RegExp(`is 10240 characters long; OneLogin ids are at most ${MAX_ID_LENGTH}`)],
    ['null', null, /is empty/],
    ['an object', { toString: () => '42' }, /is empty/],
  ];

  for (const [label, bad, pattern] of BAD) {
    it(`an id with ${label}: refused with a clear message by every entry point, nothing sent`, async () => {
      sim.clearRequests();
      for (const validate of [validateUserId, validateVerificationId, validateDeviceId]) {
        assert.throws(
          () => validate(bad),
          (e: unknown) => e instanceof OneLoginError && e.kind === 'invalidInput' && e.code === 'INVALID_ID' && pattern.test(e.message),
        );
      }
      const mirror = new HostMirror();
      const client = newClient(mirror, sim.url, ACCESS_TOKEN);
      const id = bad as string;
      for (const call of [
        () => client.getVerificationStatus(USER, id),
        () => client.getVerificationStatus(id, 'v1'),
        () => client.triggerVerification(USER, { deviceId: id }),
        () => client.triggerVerification(id, { deviceId: '3919988' }),
        () => client.verifyOtp(USER, id, '123456'),
        // (the device id of an OTP is optional: an empty one means "not given")
        ...(bad ? [() => client.verifyOtp(USER, 'v1', '123456', id)] : []),
        () => client.listDevices(id),
        () => client.listFactors(id),
      ]) {
        const e = await rejectsWith(call(), 'invalidInput', pattern);
        assert.ok(e.message.length < 300, 'the message quotes at most a short excerpt of the input');
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        assert.doesNotMatch(e.message, /[\r\n\u0000]/, 'no raw control characters reach a notification or the log');
      }
      assert.equal(sim.requests.length, 0, 'nothing was sent');
      assert.equal(mirror.exchanges.length, 0);
      // The webview cannot smuggle it in either.
      assert.equal(parseWebviewMessage({ type: 'poll', userId: bad, verificationId: 'v1' }), undefined);
      assert.equal(parseWebviewMessage({ type: 'recheck', userId: USER, verificationId: bad }), undefined);
    });
  }

  it('ids OneLogin really uses (UUID, digits, a number, padded, 128 characters) are sent, URL-encoded', async () => {
    const GOOD: [unknown, string][] = [
      ['406fefd4-8a36-4aee-880c-f3e4a928e27d', '406fefd4-8a36-4aee-880c-f3e4a928e27d'],
      ['3919988', '3919988'],
      [3919988, '3919988'],
      ['  42  ', '42'],
      ['v.1_a-B', 'v.1_a-B'],
      ['a'.repeat(MAX_ID_LENGTH), 'a'.repeat(MAX_ID_LENGTH)],
    ];
    const client = newClient(new HostMirror(), sim.url, ACCESS_TOKEN);
    for (const [raw, sent] of GOOD) {
      sim.clearRequests();
      await rejectsWith(client.getVerificationStatus(USER, raw as string), 'notFound', new RegExp(`no verification ${sent} for user ${USER}`));
      assert.deepEqual(sim.requests.map((r) => r.path), [`/api/2/mfa/users/${USER}/verifications/${sent}`]);
    }
  });
});

describe('bad input: base URLs', () => {
  const CASES: { url: string; origin?: string; why?: RegExp }[] = [
    { url: 'http://acme.onelogin.com', why: /plain http on a non-local host, which would send the access token unencrypted/ },
    { url: 'http://8.8.8.8', why: /plain http on a non-local host/ },
    { url: 'http://[2001:db8::1]:8080', why: /plain http on a non-local host/ },
    { url: 'http://127.0.0.1.nip.io', why: /plain http on a non-local host/ },
    { url: 'http://localhost.evil.example', why: /plain http on a non-local host/ },
    { url: 'http://127.0.0.1@evil.example', why: /plain http on a non-local host/ },
    { url: 'https://a@b', why: /contains a user name or password; remove the part before "@"/ },
    { url: 'https://acme.onelogin.com@evil.example', why: /user name or password/ },
    { url: 'https://acme.onelogin.com/api/2', why: /has a path \(\/api\/2\); give only the scheme and host/ },
    { url: 'https://acme.onelogin.com\\@evil.example', why: /has a path/ },
    { url: 'https://acme.onelogin.com?next=evil', why: /contains a query or fragment/ },
    { url: 'https://acme.onelogin.com#@evil.example', why: /contains a query or fragment/ },
    { url: 'https://acme.onelogin.com:65536', why: /is not a valid URL/ },
    { url: 'acme.onelogin.com', why: /is not a valid URL/ },
    { url: 'ftp://acme.onelogin.com', why: /uses ftp; only https is allowed/ },
    { url: 'javascript:alert(1)', why: /uses javascript; only https is allowed/ },
    { url: 'file:///etc/passwd', why: /uses file; only https is allowed/ },
    { url: '', why: /is empty/ },
    { url: `https://${'a'.repeat(10_000)}.example/x`, why: /has a path/ },
    { url: 'https://acme.onelogin.com/', origin: 'https://acme.onelogin.com' },
    { url: '  https://ACME.onelogin.com  ', origin: 'https://acme.onelogin.com' },
    { url: 'https://acme.onelogin.com:8443', origin: 'https://acme.onelogin.com:8443' },
    { url: 'https://acme.onelogin.com:443', origin: 'https://acme.onelogin.com' },
    { url: 'https://10.1.2.3', origin: 'https://10.1.2.3' },
    { url: 'https://[2001:db8::1]:8443', origin: 'https://[2001:db8::1]:8443' },
    { url: 'http://127.0.0.1:8123', origin: 'http://127.0.0.1:8123' },
    { url: 'http://[::1]:8123', origin: 'http://[::1]:8123' },
    { url: 'http://localhost:8123', origin: 'http://localhost:8123' },
    { url: 'http://0x7f.0.0.1:8123', origin: 'http://127.0.0.1:8123' },
  ];

  for (const c of CASES) {
    const shown = c.url.length > 60 ? `${c.url.slice(0, 40)}… (${c.url.length} chars)` : JSON.stringify(c.url);
    it(`${shown}: ${c.origin ? `accepted as ${c.origin}` : 'refused, saying why'}`, () => {
      const asSetting = (): URL => resolveBaseUrl(settings({ baseUrl: { defaultValue: DEFAULT_BASE_URL, globalValue: c.url } }));
      const asClient = (): OneLoginClient => new OneLoginClient({ baseUrl: c.url, getCredentials: async () => ACCESS_TOKEN });
      if (c.origin) {
        assert.equal(parseBaseUrl(c.url).origin, c.origin);
        assert.equal(asSetting().origin, c.origin);
        assert.equal(asClient().baseOrigin, c.origin);
        return;
      }
      const why = c.why as RegExp;
      const check = (e: unknown): boolean => {
        assert.ok(e instanceof OneLoginError, String(e));
        assert.equal(e.kind, 'invalidInput');
        assert.equal(e.code, 'INVALID_BASE_URL');
        assert.match(e.message, why);
        assert.match(e.message, /Use https:\/\/<subdomain>\.onelogin\.com/, 'says what to use instead');
        assert.ok(e.message.length < 500, 'quotes a short excerpt only');
        record('error message', e.message);
        return true;
      };
      assert.throws(() => parseBaseUrl(c.url), check);
      assert.throws(asSetting, (e: unknown) => check(e) && (e as Error).message.includes('"onelogin-mfa.baseUrl"'));
      assert.throws(asClient, check); // no client, so nothing can be sent
    });
  }

  it('a base URL with credentials in it: refused without repeating them', () => {
    const urls = [
      `https://${SECRETS.clientId}:${SECRETS.clientSecret}@acme.onelogin.com`,
      `http://${SECRETS.clientId}:${SECRETS.clientSecret}@evil.example`, // refused for http first
      `https://${SECRETS.clientId}:${SECRETS.clientSecret}/x@acme.onelogin.com`, // does not even parse
    ];
    for (const attempt of urls.flatMap((url) => [() => parseBaseUrl(url), () => resolveBaseUrl(settings({ baseUrl: { globalValue: url } }))])) {
      assert.throws(attempt, (e: unknown) => {
        assert.ok(e instanceof OneLoginError);
        assert.match(e.message, /contains a user name or password|plain http|not a valid URL/);
        assert.match(e.message, /"https?:\/\/…@/, 'the part before "@" is elided');
        assert.ok(!e.message.includes(SECRETS.clientSecret), `the secret is repeated in: ${e.message}`);
        assert.ok(!e.message.includes(SECRETS.clientId), `the client id is repeated in: ${e.message}`);
        record('error message', e.message);
        return true;
      });
    }
  });

  it('an odd but valid port where nothing listens (http://127.0.0.1:0): a network error naming it', async () => {
    const client = newClient(new HostMirror(), 'http://127.0.0.1:0', ACCESS_TOKEN);
    await rejectsWith(client.getVerificationStatus(USER, 'v1'), 'network', /Could not reach OneLogin at http:\/\/127\.0\.0\.1:0 .*check the base URL/);
  });

  it('a base URL setting that is not a string: an error naming the setting', () => {
    for (const bad of [42, true, {}, ['https://acme.onelogin.com']]) {
      assert.throws(
        () => resolveBaseUrl(settings({ baseUrl: { defaultValue: DEFAULT_BASE_URL, globalValue: bad } })),
        (e: unknown) => e instanceof OneLoginError && e.code === 'INVALID_BASE_URL' && /"onelogin-mfa\.baseUrl"/.test(e.message),
        JSON.stringify(bad),
      );
    }
  });
});

describe('bad input: settings out of range', () => {
  const WILD: unknown[] = [0, -1, -0, 0.001, 1e9, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '5', '', null, true, [], {}];

  for (const name of ['pollInterval', 'timeout', 'requestTimeout'] as const) {
    it(`${name}: every wild value reads as a number within ${BOUNDS[name].min}..${BOUNDS[name].max} s`, () => {
      const read = { pollInterval: (c: Config) => c.pollIntervalMs(), timeout: (c: Config) => c.timeoutMs(), requestTimeout: (c: Config) => c.requestTimeoutMs() }[name];
      for (const value of WILD) {
        for (const layer of ['globalValue', 'workspaceValue', 'workspaceFolderValue'] as const) {
          const ms = read(new Config(() => settings({ [name]: { [layer]: value } })));
          assert.ok(Number.isFinite(ms), `${JSON.stringify(value)} gave ${ms}`);
          assert.ok(ms >= BOUNDS[name].min * 1000 && ms <= BOUNDS[name].max * 1000, `${JSON.stringify(value)} gave ${ms} ms`);
        }
      }
    });
  }

  it('a poll interval of 0 and a timeout of 1e9 from settings: the poll still waits 1 s between checks and stops at 900 s', async () => {
    const sim = await startSimulator(simOptions);
    const config = new Config(() => settings({ pollInterval: { workspaceValue: 0 }, timeout: { globalValue: 1e9 } }));
    const id = sim.addVerification(USER);
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: config.pollTiming() });
    try {
      const started = rig.now();
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'expired');
      assert.equal(final.expiresAt - started, 900_000);
      assert.ok(rig.schedules.every((s) => s.delayMs >= 1000), 'never faster than once a second');
      assert.equal(sim.requests.length, 901, 'one check a second for 900 s, the last one at the expiry');
      rig.done();
    } finally {
      rig.dispose();
      await sim.close();
    }
  });

  it('poller options that make no sense (NaN, negative, infinite, a garbage expires_at) are clamped', () => {
    const now = 1_700_000_000_000;
    const make = (o: Partial<ConstructorParameters<typeof VerificationPoller>[0]>): VerificationPoller =>
      new VerificationPoller({ userId: USER, verificationId: 'v1', check: () => Promise.reject(new Error('not called')), now: () => now, ...o });
    assert.equal(make({ timeoutMs: Number.NaN }).state.expiresAt, now + 120_000);
    assert.equal(make({ timeoutMs: -5 }).state.expiresAt, now + 1000);
    assert.equal(make({ timeoutMs: Number.POSITIVE_INFINITY }).state.expiresAt, now + 120_000);
    assert.equal(make({ timeoutMs: 1e15 }).state.expiresAt, now + 900_000);
    assert.equal(make({ expiresAt: 1e20 }).state.expiresAt, now + 960_000, 'a far-future expires_at is capped at the API maximum plus skew');
    assert.equal(make({ expiresAt: Number.NaN }).state.expiresAt, now + 120_000);
    assert.equal(make({ expiresAt: now - 1 }).state.expiresAt, now - 1, 'a past expires_at expires');
  });

  it('a request timeout of 0 from settings still gives a server a second, then a clear timeout', async function () {
    const sim = await startSimulator(simOptions);
    const before = activeTimeouts();
    try {
      const id = sim.addVerification(USER, { faults: [{ kind: 'hang' }] });
      const config = new Config(() => settings({ requestTimeout: { globalValue: 0 } }));
      const client = newClient(new HostMirror(), sim.url, ACCESS_TOKEN, { requestTimeoutMs: config.requestTimeoutMs() });
      await rejectsWith(client.getVerificationStatus(USER, id), 'timeout', /within 1 s\. Check the network, or allow more time with the request timeout setting/);
    } finally {
      await sim.close();
    }
    assert.equal(activeTimeouts(), before);
  });
});

describe('bad input: response bodies', () => {
  let sim: Simulator;
  let mirror: HostMirror;
  let client: OneLoginClient;
  beforeEach(async () => {
    sim = await startSimulator(simOptions);
    sim.addUser(USER);
    mirror = new HostMirror();
    client = newClient(mirror, sim.url, ACCESS_TOKEN);
  });
  afterEach(() => sim.close());

  /** A status GET answered with `body`; the panel's view of the exchange is built too (it must not throw). */
  async function statusWith(body: string, status = 200, contentType = 'application/json'): Promise<unknown> {
    const id = sim.addVerification(USER, { faults: [{ kind: 'body', body, status, contentType }] });
    try {
      return await client.getVerificationStatus(USER, id);
    } finally {
      record('panel snapshot', buildSnapshot([], mirror.log, Date.now()));
    }
  }

  const CASES: [string, string, RegExp][] = [
    ['an HTML page', '<!doctype html><html><body><h1>Sign in to the corporate proxy</h1></body></html>', /HTTP 200 but the body is text\/html: "<!doctype html>.*not JSON\. A proxy or gateway may be in the way; check the base URL/],
    ['an empty body', '', /HTTP 200 but the body is empty, not JSON/],
    ['truncated JSON', '[{"id":"v1","status":"acc', /the body is application\/json: "\[\{"id":"v1","status":"acc", not JSON/],
    ['a JSON string', '"accepted"', /did not contain a verification .* got a JSON string/],
    ['JSON null', 'null', /did not contain a verification .* got null/],
    ['a JSON number', '42', /got a JSON number/],
    ['an empty array', '[]', /got an empty array/],
    ['an array of numbers', '[1,2,3]', /got an array without an object/],
    ['an unknown status', '[{"id":"v1","status":"approved"}]', /unknown verification status "approved"; expected pending, accepted or rejected/],
    ['a status that is an object', '{"status":{"$ne":"pending"}}', /unknown verification status \{"\$ne":"pending"\}/],
  ];
  for (const [label, body, pattern] of CASES) {
    it(`a body that is ${label}: invalidResponse saying what came`, async () => {
      const contentType = label === 'an HTML page' ? 'text/html' : 'application/json';
      await rejectsWith(statusWith(body, 200, contentType), 'invalidResponse', pattern);
      assert.equal(mirror.exchanges.length, 1);
      assert.equal(mirror.exchanges[0].bodyText, body, 'the panel still gets the body exactly as received');
      assert.equal(mirror.exchanges[0].error?.kind, 'invalidResponse');
    });
  }

  it('a 50 MB body (limit 10 MiB): refused after 10 MiB, memory stays low, the exchange is logged', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'huge', bytes: 50_000_000 }] });
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    try {
      await rejectsWith(client.getVerificationStatus(USER, id), 'invalidResponse', /reply to GET \S+ was larger than 10 MiB and was not read/);
    } finally {
      clearInterval(sample);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    assert.ok(peak - before < 40_000_000, `heap grew by ${Math.round((peak - before) / 1e6)} MB reading a 50 MB body`);
    assert.equal(mirror.exchanges.length, 1);
    assert.equal(mirror.exchanges[0].error?.kind, 'invalidResponse');
  });

  it('a token reply that is not a token (HTML, no access_token, a number): a clear error, no call made with it', async () => {
    for (const [body, contentType, pattern] of [
      ['<html>maintenance</html>', 'text/html', /HTTP 200 but the body is text\/html: "<html>maintenance<\/html>", not JSON/],
      ['{}', 'application/json', /token reply has no access_token/],
      ['{"access_token":12345678901234567890}', 'application/json', /token reply has no access_token/],
      ['[]', 'application/json', /token reply has no access_token/],
    ] as const) {
      sim.clearRequests();
      sim.queueFault({ kind: 'body', body, contentType }, { method: 'POST', path: '/auth/oauth2/v2/token' });
      const c = newClient(new HostMirror(), sim.url, CLIENT_CREDENTIALS);
      await rejectsWith(c.getVerificationStatus(USER, 'v1'), 'invalidResponse', pattern);
      assert.deepEqual(sim.requests.map((r) => r.method), ['POST'], 'no API call was made without a token');
    }
  });

  it('a 20 kB response header: a network error, not a crash', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'status', status: 200, body: '[]', headers: { 'x-big': 'b'.repeat(20_000) } }] });
    await rejectsWith(client.getVerificationStatus(USER, id), 'network', /\(HPE_HEADER_OVERFLOW\): check the base URL, your network and any proxy/);
  });

  it('garbage Retry-After / X-RateLimit-Reset values: sane waits, never 0 ms or NaN', async () => {
    const id = sim.addVerification(USER, {
      settle: { to: 'accepted', afterPolls: 5 },
      faults: [
        { kind: 'rateLimited', retryAfter: 'soon' },
        { kind: 'rateLimited', retryAfter: '-5' },
        { kind: 'rateLimited', retryAfter: '1e309' },
        { kind: 'status', status: 429, body: '', headers: { 'x-ratelimit-reset': '-1', 'retry-after': '' } },
      ],
    });
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN });
    try {
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'accepted');
      for (const s of rig.schedules) assert.ok(Number.isFinite(s.delayMs) && s.delayMs >= 2000, `waited ${s.delayMs} ms`);
      rig.done();
    } finally {
      rig.dispose();
    }
  });

  it('JSON nested 10,000 deep (array, v1 "data" chain, inside a valid record): handled, never a RangeError', async () => {
    const n = 10_000;
    await rejectsWith(statusWith(deepArray(n)), 'invalidResponse', /did not contain a verification/);
    await rejectsWith(statusWith(`${'{"data":'.repeat(n)}{}${'}'.repeat(n)}`), 'invalidResponse', /unknown verification status null|could not be read/);
    const inside = `[{"id":"deep-1","status":"accepted","extra":${deepArray(n)}}]`;
    const result = (await statusWith(inside)) as { status: string };
    assert.equal(result.status, 'accepted', 'deep junk beside a valid status does not hide it');
    assert.equal(mirror.exchanges.length, 3, 'every exchange reached the panel log');
    for (const ex of mirror.exchanges) {
      const view = toExchangeView(ex, 1);
      assert.ok(view.body.length > 0);
      assert.equal(view.bodyKind, 'json');
    }
  });

  it('a valid status beside 50,000-deep junk: the result stands even if the exchange listener throws on it', async () => {
    // The mirror wires onExchange like src/extension.ts (log line, then the panel's exchange log). The
    // panel's view model cannot lay out this body (known bug below) and throws from inside the listener:
    // that must not turn an accepted verification into an "Unexpected error".
    const body = `[{"id":"deep-2","status":"accepted","extra":${deepArray(50_000)}}]`;
    const result = (await statusWith(body)) as { status: string };
    assert.equal(result.status, 'accepted');
    assert.equal(mirror.exchanges.length, 1, 'the exchange was handed to the listener once');
    assert.equal(mirror.logLines.length, 1, 'and logged');
  });

  it('the panel view of a 10,000-deep body keeps the text as received', () => {
    const text = deepArray(10_000);
    const shown = displayBody(text, true, 256 * 1024);
    assert.ok(shown.body.startsWith('[[[['), 'shown as text');
    assert.equal(shown.bodyKind, 'json');
  });

  it('the panel view of a body nested 50,000 deep (100 kB, under the 256 KiB preview cap) does not throw', () => {
    // Re-indenting adds 2 spaces per level, so pretty output grows with depth² (~5 GB here):
    // prettyJsonText stops at the preview cap and the body is shown verbatim.
    const text = deepArray(50_000);
    const shown = displayBody(text, true, 256 * 1024);
    assert.ok(shown.body.length <= 256 * 1024);
  });

  it('the panel view of a 20 kB body nested 10,000 deep costs less than 64 MB of memory', () => {
    // Without the budget, a 20,002-byte body became a 200,000,000-character string (+213 MB) before the
    // preview cap threw it away. Measured as the growth of the peak RSS of a fresh child process.
    const script = `const v = require(${JSON.stringify(join(root, 'out/src/records/exchangeDisplay.js'))});
      const t = '['.repeat(10000) + ']'.repeat(10000);
      const before = process.resourceUsage().maxRSS;
      v.displayBody(t, true, 256 * 1024);
      process.stdout.write(String(Math.round((process.resourceUsage().maxRSS - before) / 1024)));`;
    const grewMb = Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 }));
    assert.ok(grewMb < 64, `peak memory grew by ${grewMb} MB for a 20 kB body`);
  });
});
