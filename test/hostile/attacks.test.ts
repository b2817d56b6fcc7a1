/**
 * Attacks, in plain Node against real HTTP: a redirect that would carry the token to another host, a
 * workspace that picks the API host, a server that echoes the token and the client secret back in bodies,
 * headers and error messages, a minted token crafted to inject a header, messages crafted to forge log
 * lines, prototype-polluting bodies, forged webview messages and saved webview state, and rate-limit abuse.
 * (The rendering of hostile data in a real browser engine is webview.test.ts; the final search of everything
 * written for the secrets is secretScan.test.ts.)
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tenants } from '../../src/connection/tenants';
import { ClientProvider } from '../../src/connection/clientProvider';
import { Config, DEFAULT_BASE_URL, type SettingsSource } from '../../src/config';
import { OneLoginClient } from '../../src/onelogin/client';
import { OneLoginError } from '../../src/onelogin/errors';
import { parseWebviewMessage, WEBVIEW_MESSAGE_TYPES } from '../../src/panel/messages';
import { parseSavedState } from '../../src/panel/savedState';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import {
  ACCESS_TOKEN,
  addAuthorization,
  CLIENT_CREDENTIALS,
  foreignServer,
  harvestSecrets,
  HostMirror,
  knownSecrets,
  newClient,
  PollRig,
  record,
  rejectsWith,
  safeJson,
  secretsIn,
  strings,
  SECRETS,
  simOptions,
  USER,
} from './helpers';

const root = join(__dirname, '..', '..', '..');

/** Every place an exchange, a log line or an error could carry a value, as one string. */
function everything(mirror: HostMirror, errors: unknown[] = []): string {
  return [
    ...strings(mirror.exchanges),
    ...mirror.logLines,
    ...strings(mirror.log.keys().map((k) => mirror.log.group(k).exchanges)),
    ...strings(errors.map((e) => (e instanceof OneLoginError ? e.toJSON() : e))),
  ].join('\n');
}

function assertNoSecret(text: string, secrets: Iterable<string>, where: string): void {
  const found = secretsIn(text, secrets);
  assert.deepEqual(found.map((s) => `${s.slice(0, 12)}…`), [], `${where} contains a secret`);
}

describe('attacks: a redirect to another host', () => {
  let sim: Simulator;
  let foreign: Awaited<ReturnType<typeof foreignServer>>;
  beforeEach(async () => {
    sim = await startSimulator(simOptions);
    harvestSecrets(sim);
    sim.addUser(USER);
    foreign = await foreignServer();
  });
  afterEach(async () => {
    await sim.close();
    await foreign.close();
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} on the status call: not followed, the token never reaches the other host`, async () => {
      const id = sim.addVerification(USER, { faults: [{ kind: 'redirect', status, location: `${foreign.url}/api/2/mfa/users/${USER}/verifications/steal` }] });
      const mirror = new HostMirror();
      const e = await rejectsWith(
        newClient(mirror, sim.url, ACCESS_TOKEN).getVerificationStatus(USER, id),
        'invalidResponse',
        new RegExp(`with a redirect \\(HTTP ${status}\\) to 127\\.0\\.0\\.1:${foreign.port}\\. Redirects are not followed, so the token is never sent elsewhere; check the base URL`),
      );
      assert.equal(e.httpStatus, status);
      assert.equal(foreign.seen.length, 0, 'nothing reached the other host');
      assert.equal(mirror.exchanges.length, 1);
      assert.equal(mirror.exchanges[0].responseHeaders.location, `${foreign.url}/api/2/mfa/users/${USER}/verifications/steal`, 'the panel shows where it pointed');
    });
  }

  it('307 on the token request: the client secret never reaches the other host', async () => {
    sim.queueFault({ kind: 'redirect', status: 307, location: `${foreign.url}/auth/oauth2/v2/token` }, { method: 'POST', path: '/auth/oauth2/v2/token' });
    const mirror = new HostMirror();
    await rejectsWith(newClient(mirror, sim.url, CLIENT_CREDENTIALS).getVerificationStatus(USER, 'v1'), 'invalidResponse', /redirect \(HTTP 307\).*not followed/);
    assert.equal(foreign.seen.length, 0);
    assert.deepEqual(sim.requests.map((r) => r.method), ['POST'], 'no API call without a token');
    assertNoSecret(everything(mirror), [SECRETS.clientSecret, SECRETS.clientId], 'the token request exchange');
    assert.equal(mirror.exchanges[0].requestHeaders.authorization, 'client_id:<redacted>, client_secret:<redacted>');
  });

  it('a redirect whose Location carries the token: the message names no token', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'redirect', location: `https://${SECRETS.accessToken}.evil.example/?t=${SECRETS.accessToken}` }] });
    const mirror = new HostMirror();
    const e = await rejectsWith(newClient(mirror, sim.url, ACCESS_TOKEN).getVerificationStatus(USER, id), 'invalidResponse', /redirect \(HTTP 302\)/);
    assertNoSecret(everything(mirror, [e]), [SECRETS.accessToken], 'the redirect exchange or its error');
  });
});

describe('attacks: a workspace that sets the API host', () => {
  let legit: Simulator;
  let attacker: Simulator;
  beforeEach(async () => {
    legit = await startSimulator(simOptions);
    attacker = await startSimulator(simOptions);
    harvestSecrets(legit);
    harvestSecrets(attacker);
  });
  afterEach(async () => {
    await legit.close();
    await attacker.close();
  });

  /** Settings merged like VS Code would if the workspace could set the value (it cannot: scope `application`). */
  function settings(layers: { globalValue?: string; workspaceValue?: string; workspaceFolderValue?: string }): SettingsSource {
    const base = { defaultValue: DEFAULT_BASE_URL, ...layers };
    return {
      get: <T>(key: string) => (key === 'baseUrl' ? (base.workspaceFolderValue ?? base.workspaceValue ?? base.globalValue ?? base.defaultValue) : undefined) as T,
      inspect: <T>(key: string) => (key === 'baseUrl' ? base : {}) as { defaultValue?: T; globalValue?: T },
    };
  }

  for (const layer of ['workspaceValue', 'workspaceFolderValue'] as const) {
    it(`a ${layer === 'workspaceValue' ? 'workspace' : 'folder'} settings.json baseUrl is ignored: requests go to the user's host only`, async () => {
      const id = legit.addVerification(USER, { status: 'accepted' });
      attacker.addVerification(USER, { id, status: 'accepted' });
      const mirror = new HostMirror();
      const config = new Config(() => settings({ globalValue: legit.url, [layer]: attacker.url }));
      const tenants = new Tenants(() => config.tenantSettings(), { get: () => undefined, update: async () => undefined }, DEFAULT_BASE_URL);
      const clients = new ClientProvider(config, tenants, async () => ACCESS_TOKEN, mirror.onExchange, (o) => new OneLoginClient(o));
      const result = await clients.get().getVerificationStatus(USER, id);
      assert.equal(result.status, 'accepted');
      assert.equal(legit.requests.length, 1);
      assert.equal(attacker.requests.length, 0, 'the workspace-chosen host got nothing');
      assert.equal(mirror.exchanges[0].origin, legit.url);
    });
  }

  it('the manifest keeps the workspace out: application scope and a restricted configuration', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
      capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
    };
    assert.equal(manifest.contributes.configuration.properties['onelogin-mfa.baseUrl'].scope, 'application');
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes('onelogin-mfa.baseUrl'));
  });
});

/** A server that echoes every secret it receives: in bodies, headers, error messages and redirects. */
async function echoServer(mintedToken: string): Promise<{ url: string; close(): Promise<void>; seen: string[] }> {
  const seen: string[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    addAuthorization(auth);
    seen.push(`${req.method} ${req.url}`);
    const token = /^Bearer (\S+)/.exec(auth)?.[1] ?? '';
    const secret = /client_secret:(\S+)/.exec(auth)?.[1] ?? '';
    const echo = { your_authorization: auth, your_token: token, client_secret: secret, clientSecret: secret, note: `got ${auth} and ${token} and ${secret}` };
    const headers = { 'content-type': 'application/json', 'x-request-id': `echo-${++n}`, 'x-echo-auth': auth, 'www-authenticate': `Bearer realm="${token}"`, 'set-cookie': `t=${token}` };
    req.resume();
    req.on('end', () => {
      if (req.url === '/auth/oauth2/v2/token') {
        res.writeHead(200, headers).end(JSON.stringify({ access_token: mintedToken, refresh_token: `${mintedToken}-refresh`, expires_in: 36000, token_type: 'bearer', ...echo }));
      } else if (req.url?.endsWith('/verifications/pending')) {
        res.writeHead(200, headers).end(JSON.stringify([{ id: 'pending', status: 'pending', device_id: '1', ...echo }]));
      } else if (req.url?.endsWith('/verifications/refused')) {
        res.writeHead(403, headers).end(JSON.stringify({ status: { error: true, code: 403, type: `Forbidden ${token}`, message: `Token ${token} may not do this (${auth})` } }));
      } else if (req.url?.endsWith('/verifications/html')) {
        res.writeHead(502, { ...headers, 'content-type': 'text/html' }).end(`<html><body>proxy saw ${auth}</body></html>`);
      } else {
        res.writeHead(302, { ...headers, location: `https://evil.example/${token}?auth=${encodeURIComponent(auth)}` }).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('attacks: a server that echoes the secrets back', () => {
  for (const [label, credentials] of [
    ['an access token', ACCESS_TOKEN],
    ['client credentials (and the token minted from them)', CLIENT_CREDENTIALS],
  ] as const) {
    it(`with ${label}: bodies, headers, errors, log lines and panel views are scrubbed`, async () => {
      const minted = 'HOSTILE-MINTED-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
      knownSecrets.add(minted);
      const server = await echoServer(minted);
      const mirror = new HostMirror();
      const client = newClient(mirror, server.url, credentials);
      const errors: unknown[] = [];
      try {
        const ok = await client.getVerificationStatus(USER, 'pending');
        assert.equal(ok.status, 'pending');
        for (const [id, kind] of [['refused', 'forbidden'], ['html', 'server'], ['redirect', 'invalidResponse']] as const) {
          errors.push(await rejectsWith(client.getVerificationStatus(USER, id), kind));
        }
      } finally {
        await server.close();
      }
      const secrets = credentials.kind === 'accessToken' ? [SECRETS.accessToken] : [SECRETS.clientId, SECRETS.clientSecret, minted, `${minted}-refresh`];
      const all = everything(mirror, errors);
      assertNoSecret(all, secrets, 'what the extension recorded');
      // The echo is still visible as an echo: scrubbed, not dropped.
      assert.match(all, /your_token\\?":\\?"<redacted>/);
      assert.match(all, /x-echo-auth\n(Bearer <redacted>|client_id:<redacted>, client_secret:<redacted>)\n/);
      assert.ok(mirror.exchanges.every((e) => /^(Bearer ••••|client_id:<redacted>)/.test(e.requestHeaders.authorization)), 'Authorization shown redacted');
      for (const e of errors) record('error message', (e as OneLoginError).toJSON());
    });
  }

  // Tokens as the token reply's JSON text spells them; the scrubber must know them in that spelling too.
  for (const [label, jsonToken, part] of [
    ['with CR LF (a header injection attempt)', 'HOSTILE-CRLF-TOKEN-0123456789\\r\\nX-Injected: yes', 'HOSTILE-CRLF-TOKEN-0123456789'],
    ['with JSON-escaped slashes and quotes', 'HOSTILE-SLASH\\/TOKEN\\"0123456789abcdef', 'TOKEN\\"0123456789abcdef'],
  ] as const) {
    it(`a minted token ${label}: no header injected, never shown in any spelling, a OneLoginError at worst`, async () => {
      knownSecrets.add(part);
      const seen: http.IncomingHttpHeaders[] = [];
      const server = http.createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        const body = req.url === '/auth/oauth2/v2/token' ? `{"access_token":"${jsonToken}","expires_in":3600}` : `[{"id":"v1","status":"pending","echo":"${jsonToken}"}]`;
        req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const mirror = new HostMirror();
        const client = newClient(mirror, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, CLIENT_CREDENTIALS);
        let outcome: unknown;
        try {
          outcome = await client.getVerificationStatus(USER, 'v1');
        } catch (e) {
          outcome = e;
          assert.ok(e instanceof OneLoginError, `a OneLoginError, not ${String(e)}`);
        }
        assert.ok(seen.every((h) => h['x-injected'] === undefined), 'no request carried an injected header');
        // `part` is spelled as in the JSON text; its unescaped spelling is checked as well.
        assertNoSecret(everything(mirror, [outcome]), [part, JSON.parse(`"${part}"`) as string], 'what was recorded');
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }
});

describe('attacks: crafted server messages', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator(simOptions);
    sim.addUser(USER);
  });
  afterEach(() => sim.close());

  it('a message with newlines, terminal escapes and bidi overrides: one plain line in the error and the log', async () => {
    const message = 'Not here\r\n[info] Access token stored in secret storage.\u001b[2J\u001b[31mRED\u202Egnp.exe\u0000';
    const id = sim.addVerification(USER, {
      faults: [
        {
          kind: 'status',
          status: 404,
          body: JSON.stringify({ statusCode: 404, name: 'NotFound\nForged', message }),
          // Header values may carry latin-1 bytes: U+0085 (NEL) and U+009B (CSI) are C1 controls.
          headers: { 'x-request-id': 'req-1\u0085[info] forged\u009b31m' },
        },
        { kind: 'body', body: JSON.stringify([{ id: 'x', status: `\u202Edetpecca${'!'.repeat(100_000)}\n[info] forged` }]) },
      ],
    });
    const mirror = new HostMirror();
    const client = newClient(mirror, sim.url, ACCESS_TOKEN);
    const errors = [
      await rejectsWith(client.getVerificationStatus(USER, id), 'notFound', /Not here/),
      await rejectsWith(client.getVerificationStatus(USER, id), 'invalidResponse', /unknown verification status/),
    ];
    for (const text of [...errors.map((e) => e.message), ...errors.map((e) => e.requestId ?? ''), ...mirror.logLines]) {
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, `control characters in: ${JSON.stringify(text.slice(0, 300))}`);
      assert.ok(text.length < 1000, `${text.length} characters`);
    }
    assert.equal(mirror.logLines.length, 2, 'one exchange, one log line');
    assert.match(mirror.exchanges[0].responseHeaders['x-request-id'], /\u0085/, 'the panel still shows the header as received');
  });

  it('a 1 MB error message: the notification text stays short', async () => {
    const id = sim.addVerification(USER, { faults: [{ kind: 'body', status: 500, body: JSON.stringify({ message: 'x'.repeat(1_000_000) }) }] });
    const mirror = new HostMirror();
    const e = await rejectsWith(newClient(mirror, sim.url, ACCESS_TOKEN).getVerificationStatus(USER, id), 'server');
    assert.ok(e.message.length < 1000, `the error message is ${e.message.length} characters`);
    assert.ok(mirror.logLines.every((l) => l.length < 2000), 'log lines stay short');
    assert.equal(mirror.exchanges[0].bodyText.length, 1_000_000 + 14, 'the full body is still in the exchange, for the panel');
  });

  it('a body that tries to pollute prototypes: read as data, nothing polluted', async () => {
    const body = '[{"__proto__":{"polluted":"yes","status":"accepted"},"constructor":{"prototype":{"polluted":"yes"}},"id":"p1","status":"pending"}]';
    const id = sim.addVerification(USER, { faults: [{ kind: 'body', body }] });
    const mirror = new HostMirror();
    const result = await newClient(mirror, sim.url, ACCESS_TOKEN).getVerificationStatus(USER, id);
    assert.equal(result.status, 'pending', 'the own "status" wins, not one smuggled through __proto__');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
    mirror.finalArtifacts();
  });
});

describe('attacks: forged messages and state from the webview', () => {
  it('messages off the allow-list, naming commands, or with wrong fields are dropped', () => {
    const forged: unknown[] = [
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'executeCommand', command: 'onelogin-mfa.clearCredentials' },
      { type: 'openLink', url: 'command:workbench.action.terminal.sendSequence?{"text":"rm -rf ~\\n"}' },
      { type: 'copyBody', exchangeId: '1' },
      { type: 'copyBody', exchangeId: 1.5 },
      { type: 'copyBody', exchangeId: -1 },
      { type: 'openBody', exchangeId: 2 ** 60 },
      { type: 'stopPoll', key: '../../x' },
      { type: 'stopPoll', key: 'a/b/c' },
      { type: 'poll', userId: '42', verificationId: '../devices' },
      { type: 'recheck', userId: ['42'], verificationId: 'v1' },
      { type: 'READY' },
      { type: { toString: () => 'ready' } },
      ['ready'],
      'ready',
      null,
    ];
    for (const m of forged) assert.equal(parseWebviewMessage(m), undefined, safeJson(m));
  });

  it('accepted messages are rebuilt from known fields only (extra fields, even a command, are dropped)', () => {
    const poll = parseWebviewMessage({ type: 'poll', userId: '42', verificationId: 'v1', command: 'workbench.action.terminal.new', __proto__: { x: 1 } });
    assert.deepEqual(poll, { type: 'poll', userId: '42', verificationId: 'v1' });
    const ready = parseWebviewMessage({ type: 'ready', args: ['--evil'] });
    assert.deepEqual(ready, { type: 'ready' });
    for (const type of WEBVIEW_MESSAGE_TYPES) assert.doesNotMatch(type, /command|exec|run|eval|open[A-Z]?url|link/i);
  });

  it('saved webview state that comes back after a reload is re-validated: secrets redacted, ids checked, sizes capped', () => {
    const deep = JSON.parse('['.repeat(5000) + ']'.repeat(5000)) as unknown;
    const saved = {
      version: 1,
      groups: [
        {
          entry: { key: '42/v1', userId: '42', verificationId: 'v1', phase: 'pending', error: { kind: 'auth', message: 'x'.repeat(100_000) } },
          exchanges: [
            {
              method: 'POST',
              path: '/auth/oauth2/v2/token',
              requestHeaders: { Authorization: `Bearer ${SECRETS.accessToken}`, Cookie: `s=${SECRETS.accessToken}`, 'X-Api-Key': SECRETS.clientSecret },
              body: JSON.stringify({ access_token: SECRETS.accessToken, client_secret: SECRETS.clientSecret }),
              requestBody: JSON.stringify({ client_secret: SECRETS.clientSecret }),
              responseHeaders: deep,
              status: 'not a number',
            },
            ...Array.from({ length: 500 }, () => ({ method: 'GET', path: '/x', body: 'y'.repeat(100_000) })),
          ],
        },
        { entry: { key: '../x', userId: '..', verificationId: 'x' }, exchanges: [] },
        { entry: { userId: 'a/b', verificationId: 'v' } },
        ...Array.from({ length: 1000 }, (_, i) => ({ entry: { userId: `u${i}`, verificationId: 'v' } })),
      ],
      other: { exchanges: deep },
    };
    const restored = parseSavedState(saved);
    const text = safeJson(restored);
    assertNoSecret(text, [SECRETS.accessToken, SECRETS.clientSecret], 'the restored state');
    assert.ok(restored.groups.length <= 50, `${restored.groups.length} groups restored`);
    assert.ok(restored.states.every((s) => /^[A-Za-z0-9._-]+$/.test(s.userId) && s.userId !== '..'), 'invalid ids dropped');
    assert.ok(restored.groups.every((g) => g.exchanges.length <= 50 && g.exchanges.every((x) => x.body.length <= 16 * 1024)));
    assert.ok(text.length < 5_000_000, `restored state is ${text.length} characters`);
    record('restored webview state', restored);
  });
});

describe('attacks: rate-limit abuse', () => {
  it('429 with "Retry-After: 0" on every call: never faster than the poll interval, and it stops', async () => {
    const sim = await startSimulator(simOptions);
    const id = sim.addVerification(USER, { faults: Array.from({ length: 20 }, () => ({ kind: 'rateLimited' as const, retryAfter: '0' })) });
    const rig = new PollRig({ baseUrl: sim.url, credentials: ACCESS_TOKEN, poll: { maxConsecutiveFailures: 6 } });
    try {
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'error');
      assert.equal(final.error?.kind, 'rateLimited');
      assert.equal(sim.requests.length, 6);
      assert.ok(rig.schedules.every((s) => s.delayMs >= 2000), `delays ${rig.schedules.map((s) => s.delayMs).join(', ')}`);
      rig.done();
    } finally {
      rig.dispose();
      await sim.close();
    }
  });

  it('a verification that stays pending for its whole life: one GET per interval, never a POST (no second push)', async () => {
    const sim = await startSimulator(simOptions);
    const id = sim.addVerification(USER);
    const rig = new PollRig({ baseUrl: sim.url, credentials: CLIENT_CREDENTIALS, poll: { timeoutMs: 120_000 } });
    try {
      const final = await rig.run({ userId: USER, verificationId: id });
      assert.equal(final.phase, 'expired');
      const calls = sim.requests.filter((r) => r.path.startsWith('/api/'));
      assert.ok(calls.every((r) => r.method === 'GET'), 'the poll never POSTs to /verifications');
      assert.equal(calls.length, 61, 'every 2 s for 120 s, the last at the expiry');
      assert.equal(sim.requests.filter((r) => r.path === '/auth/oauth2/v2/token').length, 1, 'one token for the whole poll');
      rig.done();
    } finally {
      rig.dispose();
      await sim.close();
    }
  });
});
