import { strict as assert } from 'node:assert';
import { readTenants, Tenants, tenantNameProblem, type TenantSettings } from '../../src/connection/tenants';
import { OneLoginError } from '../../src/onelogin/errors';

const DEFAULT = 'https://api.us.onelogin.com';
const read = (s: TenantSettings) => readTenants(s, DEFAULT);
const names = (s: TenantSettings) => read(s).tenants.map((t) => `${t.name}=${t.baseUrl.origin}`);

describe('tenants', () => {
  it('no settings: one tenant, "default", on the default host', () => {
    assert.deepEqual(names({ baseUrl: { defaultValue: DEFAULT }, tenants: undefined }), [`default=${DEFAULT}`]);
  });

  it('the base URL from the user settings is the "default" tenant', () => {
    assert.deepEqual(names({ baseUrl: { globalValue: 'https://acme.onelogin.com/', defaultValue: DEFAULT }, tenants: {} }), ['default=https://acme.onelogin.com']);
  });

  it('a tenants list: its tenants, plus "default" only when the user set the base URL too', () => {
    const tenants = { globalValue: [{ name: 'sandbox', baseUrl: 'https://sandbox.onelogin.com' }, { name: 'EU prod', baseUrl: 'https://api.eu.onelogin.com' }] };
    assert.deepEqual(names({ baseUrl: { defaultValue: DEFAULT }, tenants }), ['sandbox=https://sandbox.onelogin.com', 'EU prod=https://api.eu.onelogin.com']);
    assert.deepEqual(names({ baseUrl: { globalValue: 'http://127.0.0.1:8080', defaultValue: DEFAULT }, tenants }), [
      'default=http://127.0.0.1:8080',
      'sandbox=https://sandbox.onelogin.com',
      'EU prod=https://api.eu.onelogin.com',
    ]);
  });

  it('entries are validated like the base URL; bad ones are reported, not used', () => {
    const r = read({
      baseUrl: { defaultValue: DEFAULT },
      tenants: {
        globalValue: [
          { name: 'ok', baseUrl: 'https://ok.onelogin.com' },
          { name: 'plain', baseUrl: 'http://evil.example.com' },
          { name: 'ok', baseUrl: 'https://twice.onelogin.com' },
          { name: 'a/b', baseUrl: 'https://x.onelogin.com' },
          'nonsense',
        ],
      },
    });
    assert.deepEqual(r.tenants.map((t) => t.name), ['ok']);
    assert.equal(r.problems.length, 4);
    assert.match(r.problems[0].message, /onelogin-mfa\.tenants\[1\]\.baseUrl" is invalid.*plain http/);
    assert.match(r.problems[1].message, /repeats the tenant name "ok"/);
    assert.match(r.problems[2].message, /tenant name is 1–40/);
    assert.match(r.problems[3].message, /must be an object/);
  });

  it('names: what may be a tenant name', () => {
    assert.equal(tenantNameProblem('prod EU-1.a_b'), undefined);
    for (const bad of ['', ' ', 'a/b', 'x'.repeat(41), '-lead', 'new\nline', 42]) assert.ok(tenantNameProblem(bad), JSON.stringify(bad));
  });

  it('the active tenant is remembered, falls back to the first, and unknown names are refused', async () => {
    const store = new Map<string, unknown>();
    const settings: TenantSettings = { baseUrl: { defaultValue: DEFAULT }, tenants: { globalValue: [{ name: 'a', baseUrl: 'https://a.onelogin.com' }, { name: 'b', baseUrl: 'https://b.onelogin.com' }] } };
    const tenants = new Tenants(() => settings, { get: <T>(k: string) => store.get(k) as T, update: async (k, v) => void store.set(k, v) }, DEFAULT);
    const seen: string[] = [];
    tenants.onDidChange(() => seen.push(tenants.activeName()));
    assert.equal(tenants.activeName(), 'a');
    assert.equal(tenants.several(), true);
    await tenants.setActive('b');
    assert.equal(tenants.activeName(), 'b');
    assert.deepEqual(seen, ['b']);
    await assert.rejects(tenants.setActive('c'), (e: unknown) => e instanceof OneLoginError && e.code === 'UNKNOWN_TENANT');
    settings.tenants = { globalValue: [{ name: 'a', baseUrl: 'https://a.onelogin.com' }] };
    assert.equal(tenants.activeName(), 'a', 'a removed tenant is no longer active');
    assert.equal(tenants.several(), false);
  });

  it('an invalid default base URL is an error naming the setting, never a silent fallback', () => {
    const tenants = new Tenants(() => ({ baseUrl: { globalValue: 'ftp://x', defaultValue: DEFAULT }, tenants: undefined }), { get: () => undefined, update: async () => undefined }, DEFAULT);
    assert.throws(() => tenants.get(), (e: unknown) => e instanceof OneLoginError && e.code === 'INVALID_BASE_URL' && /"onelogin-mfa\.baseUrl" is invalid/.test(e.message));
  });

  it('a runtime tenant (the demo) is listed while it lives, never over a configured one', async () => {
    const store = new Map<string, unknown>();
    const settings: TenantSettings = { baseUrl: { defaultValue: DEFAULT }, tenants: undefined };
    const tenants = new Tenants(() => settings, { get: <T>(k: string) => store.get(k) as T, update: async (k, v) => void store.set(k, v) }, DEFAULT);
    let changes = 0;
    tenants.onDidChange(() => changes++);
    tenants.addRuntime({ name: 'demo', baseUrl: new URL('http://127.0.0.1:4000') });
    assert.deepEqual(tenants.list().tenants.map((t) => t.name), ['default', 'demo']);
    assert.equal(tenants.isConfigured('demo'), false);
    await tenants.setActive('demo');
    assert.equal(tenants.get().baseUrl.origin, 'http://127.0.0.1:4000');
    tenants.removeRuntime('demo');
    assert.equal(tenants.activeName(), 'default', 'the active tenant falls back when the demo ends');
    assert.equal(changes, 3);
    settings.tenants = { globalValue: [{ name: 'demo', baseUrl: 'https://demo.onelogin.com' }] };
    tenants.addRuntime({ name: 'demo', baseUrl: new URL('http://127.0.0.1:4000') });
    assert.equal(tenants.get('demo').baseUrl.origin, 'https://demo.onelogin.com', 'the configured tenant wins');
    assert.equal(tenants.isConfigured('demo'), true);
  });
});
