// The client against the simulator served over real TLS on 127.0.0.1, in plain Node (no VS Code): a
// certificate that is not trusted gives a message that says so and names the fix, and the token never
// leaves. Certificates come from scripts/test-host/pki.ts (openssl, made here, removed after).
// A trusted CA needs NODE_EXTRA_CA_CERTS at process start, so those cases run the client in a child Node.

import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OneLoginClient } from '../../src/onelogin/client';
import { OneLoginError } from '../../src/onelogin/errors';
import { proxyUnreachableMessage, untrustedCertificateMessage } from '../../src/onelogin/netErrors';
import type { Exchange } from '../../src/onelogin/exchange';
import { createCa, issueServerCert, selfSignedServerCert, type ServerCert, type TestCa } from '../../scripts/test-host/pki';
import { startSimulator, type Simulator } from '../mock-onelogin/server';

const TOKEN = 'tls-unit-token-5mK8pQ2wZ7xR4vN1';
const USER = '3919988';
const TRUST_FIX =
  'If your organization inspects TLS traffic with its own certificate authority, add that CA to the operating system\'s certificate store and keep the VS Code setting "http.systemCertificates" on (the default), or start VS Code with the environment variable NODE_EXTRA_CA_CERTS set to the CA\'s PEM file. ' +
  'Turning certificate checks off is not recommended (the token would go to whoever answers), and "http.proxyStrictSSL" does not change this for extensions.';

interface ChildOutcome {
  status?: string;
  error?: { kind: string; code?: string; message: string };
}

/** Runs one status check with the compiled client in a child Node that trusts `caFile` (NODE_EXTRA_CA_CERTS). */
function checkInChild(caFile: string, baseUrl: string, verificationId: string): Promise<ChildOutcome> {
  const clientJs = path.join(__dirname, '..', '..', 'src', 'onelogin', 'client.js');
  const script = `
    const { OneLoginClient } = require(${JSON.stringify(clientJs)});
    const [baseUrl, token, user, id] = process.argv.slice(1);
    new OneLoginClient({ baseUrl, getCredentials: async () => ({ kind: 'accessToken', accessToken: token }), requestTimeoutMs: 5000 })
      .getVerificationStatus(user, id)
      .then((r) => console.log(JSON.stringify({ status: r.status })), (e) => console.log(JSON.stringify({ error: e.toJSON() })));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, baseUrl, TOKEN, USER, verificationId], { env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as ChildOutcome);
    });
  });
}

describe('OneLoginClient over TLS: certificates that are not trusted', function () {
  this.timeout(20_000);
  let dir: string;
  let ca: TestCa;
  let sim: Simulator | undefined;
  let exchanges: Exchange[];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'olmfa-tls-'));
    ca = createCa(path.join(dir, 'ca'), 'OneLogin MFA unit-test CA');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    exchanges = [];
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  async function serve(tls: ServerCert): Promise<Simulator> {
    sim = await startSimulator({ accessTokens: [TOKEN], tls });
    sim.addUser(USER);
    return sim;
  }
  function client(s: Simulator): OneLoginClient {
    return new OneLoginClient({ baseUrl: s.url, getCredentials: async () => ({ kind: 'accessToken', accessToken: TOKEN }), onExchange: (e) => exchanges.push(e), requestTimeoutMs: 5000 });
  }
  async function failure(p: Promise<unknown>): Promise<OneLoginError> {
    const e = await p.then(
      () => assert.fail('expected a failure'),
      (err: unknown) => err,
    );
    assert.ok(e instanceof OneLoginError, String(e));
    return e;
  }

  for (const [title, make, code, why] of [
    ['a certificate signed by a CA this computer does not trust', (): ServerCert => issueServerCert(ca, ['127.0.0.1']), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'the certificate authority that signed it is not trusted'],
    ['a self-signed certificate', (): ServerCert => selfSignedServerCert(dir, ['127.0.0.1']), 'DEPTH_ZERO_SELF_SIGNED_CERT', 'it is self-signed'],
    [
      'a chain that ends in an untrusted root (as TLS-inspecting company proxies send it)',
      (): ServerCert => {
        const leaf = issueServerCert(ca, ['127.0.0.1']);
        return { key: leaf.key, cert: leaf.cert + fs.readFileSync(ca.certFile, 'utf8') };
      },
      'SELF_SIGNED_CERT_IN_CHAIN',
      'it was issued by a certificate authority that is not trusted (often a company proxy that inspects TLS)',
    ],
  ] as const) {
    it(`${title}: "${code}", not trusted, and how to fix it; nothing reaches the server`, async () => {
      const s = await serve(make());
      const id = s.addVerification(USER);
      const e = await failure(client(s).getVerificationStatus(USER, id));
      const what = `GET /api/2/mfa/users/${USER}/verifications/${id}`;
      assert.equal(e.kind, 'network');
      assert.equal(e.code, code);
      assert.equal(e.message, `The certificate of ${s.url} is not trusted (${code}): ${why}. ${what} was stopped before anything was sent, the token included. ${TRUST_FIX}`);
      assert.equal(s.requests.length, 0, 'the request (and its token) never reached the server');
      assert.equal(exchanges.length, 1);
      assert.equal(exchanges[0].error?.message, e.message, 'the panel shows the same message');
      assert.ok(!JSON.stringify(exchanges).includes(TOKEN), 'the recorded exchange holds no token');
    });
  }

  it('the same CA trusted with NODE_EXTRA_CA_CERTS (a child Node): the check succeeds', async () => {
    const s = await serve(issueServerCert(ca, ['127.0.0.1']));
    const out = await checkInChild(ca.certFile, s.url, s.addVerification(USER));
    assert.deepEqual(out, { status: 'pending' });
    assert.equal(s.requests.length, 1);
  });

  it('a trusted CA but an expired certificate: "CERT_HAS_EXPIRED", and the clock is named too', async () => {
    const s = await serve(issueServerCert(ca, ['127.0.0.1'], { expired: true }));
    const out = await checkInChild(ca.certFile, s.url, s.addVerification(USER));
    assert.equal(out.error?.code, 'CERT_HAS_EXPIRED');
    assert.match(out.error?.message ?? '', /^The certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(CERT_HAS_EXPIRED\): it has expired \(or this computer's clock is wrong\)\./);
    assert.equal(s.requests.length, 0);
  });

  it('a trusted CA but a certificate for another host name: "ERR_TLS_CERT_ALTNAME_INVALID", issued for another host name', async () => {
    const s = await serve(issueServerCert(ca, ['api.other.example']));
    const out = await checkInChild(ca.certFile, s.url, s.addVerification(USER));
    assert.equal(out.error?.kind, 'network');
    assert.equal(out.error?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.match(out.error?.message ?? '', /^The certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(ERR_TLS_CERT_ALTNAME_INVALID\): it was issued for another host name\./);
    assert.equal(s.requests.length, 0);
  });
});

describe('proxy messages (netErrors)', () => {
  it('a proxy that cannot be reached: names http.proxy, never echoes the raw error (it may hold proxy credentials)', () => {
    const raw = 'Failed to establish a socket connection to proxies: PROXY alice:s3cret-proxy-pw@10.0.0.1:3128';
    const m = proxyUnreachableMessage(raw, 'https://api.us.onelogin.com', 'GET /x');
    assert.ok(m?.includes('"http.proxy"'), m);
    assert.ok(!m?.includes('s3cret-proxy-pw') && !m?.includes('10.0.0.1'), m);
    assert.equal(proxyUnreachableMessage('connect ECONNREFUSED 127.0.0.1:1', 'https://a', 'GET /x'), undefined);
  });

  it('an unknown code is not called a certificate problem', () => {
    assert.equal(untrustedCertificateMessage('ECONNRESET', 'https://a', 'GET /x'), undefined);
  });
});
