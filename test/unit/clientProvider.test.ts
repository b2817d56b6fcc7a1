import { strict as assert } from 'node:assert';
import { ClientProvider } from '../../src/connection/clientProvider';
import { Config, type SettingsSource } from '../../src/config';
import { OneLoginError } from '../../src/onelogin/errors';
import type { Credentials, OneLoginApi, OneLoginClientOptions } from '../../src/onelogin/types';
import { Tenants } from '../../src/connection/tenants';

function settings(values: Record<string, unknown>): SettingsSource {
  return {
    get: <T>(k: string) => values[k] as T | undefined,
    inspect: <T>(k: string) => ({ defaultValue: (k === 'baseUrl' ? 'https://api.us.onelogin.com' : undefined) as T, globalValue: values[k] as T }),
  };
}

function memento(): { get<T>(k: string): T | undefined; update(k: string, v: unknown): Promise<void> } {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k, v) => void m.set(k, v) };
}

function provider(values: Record<string, unknown>, made: OneLoginClientOptions[], creds: (t: string) => Promise<Credentials | undefined> = async () => undefined) {
  const config = new Config(() => settings(values));
  const tenants = new Tenants(() => config.tenantSettings(), memento(), 'https://api.us.onelogin.com');
  const clients = new ClientProvider(config, tenants, creds, () => undefined, (o) => {
    made.push(o);
    return {} as OneLoginApi;
  });
  return { clients, tenants };
}

describe('client provider', () => {
  it('builds the client lazily, once, from the settings; reset rebuilds', () => {
    const values: Record<string, unknown> = { baseUrl: 'http://127.0.0.1:8123', requestTimeout: 5 };
    const made: OneLoginClientOptions[] = [];
    const { clients } = provider(values, made);
    assert.equal(made.length, 0, 'nothing is built before first use');
    clients.get();
    clients.get();
    assert.equal(made.length, 1);
    assert.equal(made[0].baseUrl, 'http://127.0.0.1:8123');
    assert.equal(made[0].requestTimeoutMs, 5000);
    values.requestTimeout = 7;
    clients.reset();
    clients.get();
    assert.equal(made[1].requestTimeoutMs, 7000);
  });

  it('a base URL edited in place gets a new client, even before reset()', () => {
    const values: Record<string, unknown> = { baseUrl: 'http://127.0.0.1:8123' };
    const made: OneLoginClientOptions[] = [];
    const { clients } = provider(values, made);
    clients.get();
    values.baseUrl = 'https://acme.onelogin.com';
    clients.get();
    assert.deepEqual(made.map((m) => m.baseUrl), ['http://127.0.0.1:8123', 'https://acme.onelogin.com']);
  });

  it('an invalid base URL throws before any client exists', () => {
    const made: OneLoginClientOptions[] = [];
    const { clients } = provider({ baseUrl: 'http://evil.example.com' }, made);
    assert.throws(() => clients.get(), (e: unknown) => e instanceof OneLoginError && e.code === 'INVALID_BASE_URL');
    assert.equal(made.length, 0);
  });

  it('one client per tenant, each with its own host and only its own credentials', async () => {
    const values = {
      tenants: [
        { name: 'sandbox', baseUrl: 'http://127.0.0.1:9001' },
        { name: 'prod', baseUrl: 'https://acme.onelogin.com' },
      ],
    };
    const made: OneLoginClientOptions[] = [];
    const asked: string[] = [];
    const { clients, tenants } = provider(values, made, async (t) => (asked.push(t), { kind: 'accessToken', accessToken: `token-${t}` }));
    assert.equal(tenants.activeName(), 'sandbox', 'the first listed tenant is active by default');
    clients.get();
    clients.get('prod');
    assert.deepEqual(made.map((m) => m.baseUrl), ['http://127.0.0.1:9001', 'https://acme.onelogin.com']);
    assert.deepEqual(await made[1].getCredentials(), { kind: 'accessToken', accessToken: 'token-prod' });
    assert.deepEqual(await made[0].getCredentials(), { kind: 'accessToken', accessToken: 'token-sandbox' });
    assert.deepEqual(asked, ['prod', 'sandbox']);
    await tenants.setActive('prod');
    clients.get();
    assert.equal(made.length, 2, 'switching the active tenant reuses that tenant client');
    assert.throws(() => clients.get('default'), (e: unknown) => e instanceof OneLoginError && e.code === 'UNKNOWN_TENANT' && /"sandbox", "prod"/.test(e.message));
  });
});
