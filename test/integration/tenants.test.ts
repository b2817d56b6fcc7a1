/**
 * Several OneLogin tenants in the real extension host, against two simulators (two hosts, two tokens):
 *  - a token of tenant A is never sent to tenant B's host, whichever way the tenant is chosen;
 *  - a running poll keeps its tenant's host and credentials across a tenant switch;
 *  - removing a tenant from the settings stops its polls with a message naming it;
 *  - an unknown tenant is refused before anything is sent;
 *  - with one tenant, nothing names tenants.
 */
import * as assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { entryOf, hooks, resetAll, run, setSettings, statusGets, until, useToken, type VerificationResult } from './helpers';

const USER = '6001';
const TOKEN_A = 'i10-tenant-alpha-token-3Fh8Kq2L';
const TOKEN_B = 'i10-tenant-beta-token-9Zr4Wm1P';

interface SwitchResult {
  tenant?: string;
  baseUrl?: string;
  error?: { code?: string; message: string };
}

describe('tenants: several OneLogin accounts side by side', function () {
  let alpha: Simulator;
  let beta: Simulator;

  const tenantsSetting = (): { name: string; baseUrl: string }[] => [
    { name: 'alpha', baseUrl: alpha.url },
    { name: 'beta', baseUrl: beta.url },
  ];

  before(async function () {
    alpha = await startSimulator({ accessTokens: [TOKEN_A] });
    beta = await startSimulator({ accessTokens: [TOKEN_B] });
    alpha.addUser(USER);
    beta.addUser(USER);
    await resetAll();
  });

  beforeEach(async function () {
    await setSettings({ tenants: tenantsSetting(), pollInterval: 1 });
    await run('onelogin-mfa.switchTenant', { tenant: 'alpha' });
    await run('onelogin-mfa.setAccessToken', { tenant: 'alpha', accessToken: TOKEN_A });
    await run('onelogin-mfa.setAccessToken', { tenant: 'beta', accessToken: TOKEN_B });
  });

  afterEach(async function () {
    await run('onelogin-mfa.stopPolling');
    const h = await hooks();
    await until('every poll to end', () => h.entries().every((e) => !e.polling));
    await setSettings({ tenants: tenantsSetting() });
    await run('onelogin-mfa.clearCredentials', { tenant: 'alpha' });
    await run('onelogin-mfa.clearCredentials', { tenant: 'beta' });
  });

  after(async function () {
    await resetAll();
    await alpha?.close();
    await beta?.close();
  });

  /** Every request each simulator saw carried only its own tenant's token. */
  function assertIsolated(): void {
    for (const r of alpha.requests) assert.notEqual(r.headers.authorization, `Bearer ${TOKEN_B}`, `beta's token reached alpha's host (${r.method} ${r.path})`);
    for (const r of beta.requests) assert.notEqual(r.headers.authorization, `Bearer ${TOKEN_A}`, `alpha's token reached beta's host (${r.method} ${r.path})`);
  }

  it("a tenant's token goes to its own host only: by argument and by the active tenant", async function () {
    const idA = alpha.addVerification(USER, { status: 'accepted' });
    const idB = beta.addVerification(USER, { status: 'rejected' });

    const a = await run<VerificationResult>('onelogin-mfa.checkVerification', { tenant: 'alpha', userId: USER, verificationId: idA });
    assert.equal(a.state, 'accepted');
    assert.equal(a.tenant, 'alpha');
    const b = await run<VerificationResult>('onelogin-mfa.checkVerification', { tenant: 'beta', userId: USER, verificationId: idB });
    assert.equal(b.state, 'rejected');
    assert.equal(b.tenant, 'beta');
    assert.equal(statusGets(alpha, USER, idA)[0].headers.authorization, `Bearer ${TOKEN_A}`);
    assert.equal(statusGets(beta, USER, idB)[0].headers.authorization, `Bearer ${TOKEN_B}`);

    // No tenant argument: the active one, remembered by Switch Tenant.
    const switched = await run<SwitchResult>('onelogin-mfa.switchTenant', { tenant: 'beta' });
    assert.deepEqual(switched, { tenant: 'beta', baseUrl: beta.url });
    const before = alpha.requests.length;
    const again = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: idB });
    assert.equal(again.state, 'rejected');
    assert.equal(statusGets(beta, USER, idB).length, 2);
    assert.equal(alpha.requests.length, before, 'nothing went to alpha while beta is active');

    // The same verification id on the wrong tenant is simply unknown there: no token crosses over.
    const wrong = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: idA });
    assert.equal(wrong.state, 'error');
    assert.equal(wrong.error?.kind, 'notFound');
    assertIsolated();

    // Copy as cURL names the tenant of the exchange.
    const exchange = (await hooks()).exchanges().find((x) => x.path.endsWith(`/verifications/${idA}`));
    assert.ok(exchange, 'the exchange of the alpha check');
    assert.match((await (await hooks()).curl(exchange.id)) ?? '', /^# OneLogin tenant: alpha\ncurl /);

    // The status bar names the tenants only now that there are several.
    const h = await hooks();
    assert.match(h.statusBar()?.tooltip ?? '', /Tenant: beta/);
    assert.match(h.statusBar()?.tooltip ?? '', /Tenant: alpha/);
  });

  it('a running poll keeps its tenant (host and token) when the active tenant changes', async function () {
    const id = alpha.addVerification(USER, { settle: { to: 'accepted', afterPolls: 3 } });
    const started = await run<VerificationResult>('onelogin-mfa.pollVerification', { userId: USER, verificationId: id, wait: false });
    assert.equal(started.tenant, 'alpha');
    await until('the first status request at alpha', () => statusGets(alpha, USER, id).length >= 1);

    await run('onelogin-mfa.switchTenant', { tenant: 'beta' });
    const h = await hooks();
    await until('the poll to settle', () => entryOf(h, USER, id)?.phase === 'accepted', 15_000);
    const gets = statusGets(alpha, USER, id);
    assert.equal(gets.length, 3);
    assert.ok(gets.every((r) => r.headers.authorization === `Bearer ${TOKEN_A}`));
    assert.equal(beta.requests.filter((r) => r.path.includes(id)).length, 0, 'the poll never moved to the new active tenant');
    assert.equal(entryOf(h, USER, id)?.tenant, 'alpha', 'the panel names the tenant');
    const stored = h.history().find((e) => e.verificationId === id);
    assert.equal(stored?.tenant, 'alpha', 'the history entry names the tenant');
    assertIsolated();
  });

  it('removing a tenant from the settings stops its polls with a message that names it', async function () {
    const id = beta.addVerification(USER); // stays pending
    await run<VerificationResult>('onelogin-mfa.pollVerification', { tenant: 'beta', userId: USER, verificationId: id, wait: false });
    await until('the first status request at beta', () => statusGets(beta, USER, id).length >= 1);

    await setSettings({ tenants: [{ name: 'alpha', baseUrl: alpha.url }] });
    const h = await hooks();
    await until('the poll to stop', () => entryOf(h, USER, id)?.polling === false, 10_000);
    const entry = entryOf(h, USER, id);
    assert.equal(entry?.phase, 'error');
    assert.match(entry?.error?.message ?? '', /no OneLogin tenant named "beta"/);
  });

  it('an unknown tenant is refused before anything is sent', async function () {
    const before = alpha.requests.length + beta.requests.length;
    const r = await run<VerificationResult>('onelogin-mfa.checkVerification', { tenant: 'gamma', userId: USER, verificationId: 'x-1' });
    assert.equal(r.state, 'error');
    assert.equal(r.error?.code, 'UNKNOWN_TENANT');
    assert.match(r.error?.message ?? '', /"gamma".*"alpha", "beta"/);
    const s = await run<SwitchResult>('onelogin-mfa.switchTenant', { tenant: 'gamma' });
    assert.equal(s.error?.code, 'UNKNOWN_TENANT');
    assert.equal(alpha.requests.length + beta.requests.length, before);
  });

  it('one tenant (only the base URL): nothing names tenants', async function () {
    await setSettings({ tenants: undefined, baseUrl: alpha.url });
    await useToken(TOKEN_A);
    const id = alpha.addVerification(USER, { status: 'accepted' });
    const r = await run<VerificationResult>('onelogin-mfa.checkVerification', { userId: USER, verificationId: id });
    assert.equal(r.state, 'accepted');
    assert.equal(r.tenant, undefined);
    const h = await hooks();
    assert.doesNotMatch(h.statusBar()?.tooltip ?? '', /Tenant/);
    assert.doesNotMatch(h.statusBar()?.text ?? '', /·/);
    const exchange = h.exchanges().find((x) => x.path.endsWith(`/verifications/${id}`));
    assert.match((await h.curl(exchange?.id ?? -1)) ?? '', /^curl /, 'no tenant line with one tenant');
    await run('onelogin-mfa.clearCredentials');
    await setSettings({ baseUrl: undefined });
  });
});
