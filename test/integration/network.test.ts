/**
 * Proxies and company certificate authorities, in the real VS Code: the extension has no network settings
 * of its own; its requests follow VS Code's `http.proxy`, `http.noProxy`, `http.proxySupport` and
 * `http.systemCertificates`, which VS Code applies by patching Node's http/https modules for extensions
 * (@vscode/proxy-agent). Everything runs on 127.0.0.1:
 *   - a CONNECT proxy started here (test/net/connectProxy.ts) that tunnels only to mapped names;
 *   - the OneLogin simulator over https, with certificates signed at test time by the run's CAs
 *     (scripts/test-host/networkTrust.ts: one trusted by NODE_EXTRA_CA_CERTS, one by the "OS store"
 *     via SSL_CERT_FILE, one trusted nowhere).
 * VS Code never proxies localhost/127.0.0.1/::1 (measured below), so the proxied tests use the name
 * `onelogin-sim.test`, which only the proxy knows. A guard on dns.lookup in this extension host refuses
 * to resolve `*.test` names: were a request to go direct, it fails here instead of asking the machine's
 * DNS server (the tests must not send anything off 127.0.0.0/8).
 */
import * as assert from 'node:assert/strict';
import dns from 'node:dns'; // the module object itself: its lookup is what net.connect calls
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { issueServerCert, openCa, type ServerCert } from '../../scripts/test-host/pki';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { startConnectProxy, type ConnectProxy } from '../net/connectProxy';
import { SECRETS, SIM_OPTIONS, assertNoSecret, hooks, resetAll, run, setSettings, statusGets, until, useToken, type VerificationResult } from './helpers';

const USER = '4010';
const NAME = 'onelogin-sim.test';
const HTTP_SETTINGS = ['proxy', 'noProxy', 'proxySupport', 'systemCertificates', 'proxyStrictSSL'] as const;
type HttpSetting = (typeof HTTP_SETTINGS)[number];

/** Sets VS Code's own `http.*` user settings as a person does, and waits until this extension host sees them. */
async function setHttp(values: Partial<Record<HttpSetting, unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration('http');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Global);
  await until(
    () => `http settings ${JSON.stringify(values)}`,
    () => Object.entries(values).every(([key, value]) => JSON.stringify(vscode.workspace.getConfiguration('http').inspect(key)?.globalValue) === JSON.stringify(value)),
  );
}

/** Refuses to resolve `*.test` names in this process (see the file comment) and remembers who asked. */
function guardDns(): { looked: string[]; restore(): void } {
  const looked: string[] = [];
  const original = dns.lookup;
  const guarded = function (this: unknown, hostname: string, ...rest: unknown[]): unknown {
    if (typeof hostname === 'string' && /\.test\.?$/i.test(hostname)) {
      looked.push(hostname);
      const callback = rest[rest.length - 1] as (e: NodeJS.ErrnoException) => void;
      const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname} (blocked by the test)`), { code: 'ENOTFOUND', hostname });
      process.nextTick(() => callback(error));
      return undefined;
    }
    return (original as (...a: unknown[]) => unknown).call(this, hostname, ...rest);
  };
  (dns as { lookup: unknown }).lookup = guarded;
  return { looked, restore: () => ((dns as { lookup: unknown }).lookup = original) };
}

describe('integration/network: VS Code proxy and certificate settings', function () {
  this.timeout(40_000);
  let pkiDir: string;
  let guard: ReturnType<typeof guardDns>;
  const open: { close(): Promise<void> }[] = [];

  const cert = (ca: 'extra' | 'os-store' | 'untrusted', hosts: string[]): ServerCert => issueServerCert(openCa(path.join(pkiDir, ca)), hosts);
  async function httpsSim(tls: ServerCert): Promise<Simulator> {
    const sim = await startSimulator({ ...SIM_OPTIONS, tls });
    sim.addUser(USER);
    open.push(sim);
    return sim;
  }
  async function proxyTo(sim: Simulator): Promise<ConnectProxy> {
    const proxy = await startConnectProxy({ [`${NAME}:443`]: sim.port });
    open.push(proxy);
    return proxy;
  }
  const check = (verificationId: string): Promise<VerificationResult> => run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId });

  before(async function () {
    await hooks();
    const dir = process.env.ONELOGIN_MFA_TEST_PKI;
    assert.ok(dir, 'ONELOGIN_MFA_TEST_PKI is not set: run through `npm run test:integration` (scripts/test-host/run-integration.js makes the CAs before VS Code starts)');
    pkiDir = dir;
    guard = guardDns();
  });

  beforeEach(() => {
    guard.looked.length = 0;
  });

  afterEach(async function () {
    const none: Partial<Record<HttpSetting, undefined>> = {};
    for (const key of HTTP_SETTINGS) none[key] = undefined;
    await setHttp(none);
    await resetAll();
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  after(function () {
    guard?.restore();
  });

  it('http.proxy: status requests reach the simulator through the proxy, which sees only a CONNECT tunnel, never the token', async function () {
    const sim = await httpsSim(cert('extra', [NAME]));
    const proxy = await proxyTo(sim);
    await setHttp({ proxy: proxy.url });
    await setSettings({ baseUrl: `https://${NAME}`, pollInterval: 1 });
    await useToken();

    const checked = await check(sim.addVerification(USER));
    assert.equal(checked.state, 'pending', JSON.stringify(checked));
    const id = sim.addVerification(USER, { settle: { to: 'accepted', afterPolls: 2 } });
    const polled = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id });
    assert.equal(polled.state, 'accepted', JSON.stringify(polled));

    const gets = statusGets(sim, USER, id);
    assert.equal(gets.length, 2, 'both status GETs of the poll arrived');
    for (const g of gets) {
      assert.ok(g.remotePort !== undefined && proxy.upstreamPorts.includes(g.remotePort), `came over one of the proxy's tunnels (${String(g.remotePort)} in ${proxy.upstreamPorts.join(', ')})`);
      assert.equal(g.headers.host, NAME, 'addressed to the name only the proxy can resolve');
      assert.equal(g.headers.authorization, `Bearer ${SECRETS.token}`, 'the token arrived, inside the tunnel');
    }
    assert.ok(proxy.log.length >= 1, 'the proxy was used');
    for (const entry of proxy.log) {
      assert.deepEqual([entry.method, entry.target, entry.status, entry.tlsInTunnel], ['CONNECT', `${NAME}:443`, 200, true], JSON.stringify(entry));
      assert.ok(!entry.headerNames.includes('authorization'), 'no Authorization header on the CONNECT');
    }
    const seen = proxy.received().toString('latin1');
    assert.ok(seen.startsWith(`CONNECT ${NAME}:443 HTTP/1.1`), seen.slice(0, 80));
    assertNoSecret(seen, 'the bytes the proxy received');
    assert.ok(!seen.includes('/api/2/mfa'), 'the proxy never saw a request path');
    assert.deepEqual(guard.looked, [], 'this extension host never resolved the name itself');
  });

  it('a proxy that wants credentials: with user:password in http.proxy the tunnel opens; without, a 407 that says so', async function () {
    const sim = await httpsSim(cert('extra', [NAME]));
    const password = 'proxy-pw-Zx81Kd0';
    const proxy = await startConnectProxy({ [`${NAME}:443`]: sim.port }, { credentials: `alice:${password}` });
    open.push(proxy);
    await setSettings({ baseUrl: `https://${NAME}` });
    await useToken();

    await setHttp({ proxy: proxy.url });
    const refused = await check(sim.addVerification(USER));
    assert.equal(refused.error?.code, 'PROXY_REFUSED', JSON.stringify(refused));
    assert.equal(refused.error?.httpStatus, 407);
    assert.match(refused.error?.message ?? '', /requires proxy authentication \(HTTP 407\)\. Put the credentials in "http\.proxy"/);

    await setHttp({ proxy: `http://alice:${password}@127.0.0.1:${proxy.port}` });
    const ok = await check(sim.addVerification(USER));
    assert.equal(ok.state, 'pending', JSON.stringify(ok));
    assert.ok(proxy.log.some((e) => e.status === 200 && e.headerNames.includes('proxy-authorization')), JSON.stringify(proxy.log));
    assertNoSecret(JSON.stringify([refused, ok]), 'the command results', [password]);
  });

  it('VS Code does not proxy loopback hosts: a 127.0.0.1 base URL goes direct even with http.proxy set', async function () {
    const sim = await startSimulator(SIM_OPTIONS);
    open.push(sim);
    sim.addUser(USER);
    const proxy = await startConnectProxy({});
    open.push(proxy);
    await setHttp({ proxy: proxy.url });
    await setSettings({ baseUrl: sim.url });
    await useToken();
    const r = await check(sim.addVerification(USER));
    assert.equal(r.state, 'pending', JSON.stringify(r));
    assert.deepEqual(proxy.log, [], 'nothing went through the proxy');
  });

  for (const [title, settings] of [
    ['http.noProxy lists the host', { noProxy: [NAME] }],
    ['http.proxySupport is off', { proxySupport: 'off' }],
  ] as const) {
    it(`${title}: the request goes direct, not through http.proxy`, async function () {
      const sim = await httpsSim(cert('extra', [NAME]));
      const proxy = await proxyTo(sim);
      await setHttp({ proxy: proxy.url, ...settings });
      await setSettings({ baseUrl: `https://${NAME}` });
      await useToken();
      const r = await check(sim.addVerification(USER));
      assert.equal(r.state, 'error', JSON.stringify(r));
      assert.equal(r.error?.code, 'ENOTFOUND', JSON.stringify(r.error));
      assert.deepEqual(guard.looked, [NAME], 'it tried to resolve the name itself (blocked by the guard)');
      assert.deepEqual(proxy.log, [], 'nothing went through the proxy');
      assert.equal(sim.requests.length, 0);
    });
  }

  it('a CA trusted through NODE_EXTRA_CA_CERTS: the request succeeds, also with http.systemCertificates off', async function () {
    for (const systemCertificates of [undefined, false]) {
      const sim = await httpsSim(cert('extra', ['127.0.0.1']));
      await setHttp({ systemCertificates });
      await setSettings({ baseUrl: sim.url });
      await useToken();
      const r = await check(sim.addVerification(USER));
      assert.equal(r.state, 'pending', `http.systemCertificates ${String(systemCertificates)}: ${JSON.stringify(r)}`);
    }
  });

  it('a CA in the OS store: trusted with http.systemCertificates on (the default), not trusted with it off', async function () {
    // The "OS store" here is OpenSSL's default CA file, redirected with SSL_CERT_FILE (Node's system store on
    // Linux). On macOS and Windows the store is the keychain / certificate store, which a test cannot fill
    // without changing the machine.
    if (process.platform !== 'linux') this.skip();
    const trusted = await httpsSim(cert('os-store', ['127.0.0.1']));
    await setSettings({ baseUrl: trusted.url });
    await useToken();
    const ok = await check(trusted.addVerification(USER));
    assert.equal(ok.state, 'pending', JSON.stringify(ok));

    // A second server: a kept-alive connection to the first would skip the handshake.
    const other = await httpsSim(cert('os-store', ['127.0.0.1']));
    await setHttp({ systemCertificates: false });
    await setSettings({ baseUrl: other.url });
    const refused = await check(other.addVerification(USER));
    assert.equal(refused.state, 'error', JSON.stringify(refused));
    assert.equal(refused.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', JSON.stringify(refused.error));
    assert.equal(other.requests.length, 0, 'nothing reached the server');
  });

  const UNTRUSTED_MESSAGE = (origin: string, what: string): string =>
    `The certificate of ${origin} is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE): the certificate authority that signed it is not trusted. ${what} was stopped before anything was sent, the token included. ` +
    'If your organization inspects TLS traffic with its own certificate authority, add that CA to the operating system\'s certificate store and keep the VS Code setting "http.systemCertificates" on (the default), or start VS Code with the environment variable NODE_EXTRA_CA_CERTS set to the CA\'s PEM file. ' +
    'Turning certificate checks off is not recommended (the token would go to whoever answers), and "http.proxyStrictSSL" does not change this for extensions.';

  it('an untrusted CA: the user is told the certificate is not trusted and which settings fix it; http.proxyStrictSSL off changes nothing', async function () {
    const sim = await httpsSim(cert('untrusted', ['127.0.0.1']));
    await setSettings({ baseUrl: sim.url });
    await useToken();
    const id = sim.addVerification(USER);
    const what = `GET /api/2/mfa/users/${USER}/verifications/${id}`;
    const r = await check(id);
    assert.equal(r.state, 'error', JSON.stringify(r));
    assert.deepEqual(r.error, { kind: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: UNTRUSTED_MESSAGE(sim.url, what) });

    await setHttp({ proxyStrictSSL: false });
    const again = await check(id);
    assert.equal(again.error?.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', JSON.stringify(again));
    assert.equal(sim.requests.length, 0, 'the token never reached the server');
  });

  it('an untrusted CA behind http.proxy (a TLS-inspecting company proxy): the same message, and the proxy saw only the handshake', async function () {
    const sim = await httpsSim(cert('untrusted', [NAME]));
    const proxy = await proxyTo(sim);
    await setHttp({ proxy: proxy.url });
    await setSettings({ baseUrl: `https://${NAME}` });
    await useToken();
    const id = sim.addVerification(USER);
    const r = await check(id);
    assert.deepEqual(r.error, { kind: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: UNTRUSTED_MESSAGE(`https://${NAME}`, `GET /api/2/mfa/users/${USER}/verifications/${id}`) });
    assert.ok(proxy.log.length >= 1 && proxy.log.every((e) => e.method === 'CONNECT' && e.target === `${NAME}:443`), JSON.stringify(proxy.log));
    assertNoSecret(proxy.received().toString('latin1'), 'the bytes the proxy received');
    assert.equal(sim.requests.length, 0);
  });

  for (const status of [407, 502]) {
    it(`the proxy refuses the tunnel (HTTP ${status}): a proxy error that names http.proxy, not an error "from OneLogin"`, async function () {
      const sim = await httpsSim(cert('extra', [NAME]));
      const proxy = await proxyTo(sim);
      proxy.refuseWith(status);
      await setHttp({ proxy: proxy.url });
      await setSettings({ baseUrl: `https://${NAME}` });
      await useToken();
      const r = await check(sim.addVerification(USER));
      assert.equal(r.state, 'error', JSON.stringify(r));
      assert.equal(r.error?.kind, 'network');
      assert.equal(r.error?.code, 'PROXY_REFUSED');
      assert.equal(r.error?.httpStatus, status);
      assert.match(r.error?.message ?? '', /^The proxy between VS Code and OneLogin refused to connect to https:\/\/onelogin-sim\.test for GET /);
      assert.match(r.error?.message ?? '', status === 407 ? /requires proxy authentication \(HTTP 407\)/ : /answered HTTP 502 instead of opening a tunnel/);
      assert.match(r.error?.message ?? '', /"http\.proxy"/);
      assert.equal(sim.requests.length, 0);
      assertNoSecret(proxy.received().toString('latin1'), 'the bytes the proxy received');
    });
  }

  it('the proxy cannot be reached: the message says to check http.proxy', async function () {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    await setHttp({ proxy: `http://127.0.0.1:${closed}` });
    await setSettings({ baseUrl: `https://${NAME}` });
    await useToken();
    const r = await check('406fefd4-8a36-4aee-880c-f3e4a928e27d');
    assert.equal(r.state, 'error', JSON.stringify(r));
    assert.equal(r.error?.code, 'PROXY_UNREACHABLE', JSON.stringify(r.error));
    assert.match(r.error?.message ?? '', /the proxy VS Code is set to use could not be connected to\. Check the "http\.proxy" setting/);
    assert.deepEqual(guard.looked, []);
  });
});
