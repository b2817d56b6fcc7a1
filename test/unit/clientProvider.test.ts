import { strict as assert } from 'node:assert';
import { ClientProvider } from '../../src/clientProvider';
import { Config, type SettingsSource } from '../../src/config';
import { OneLoginError } from '../../src/onelogin/errors';
import type { OneLoginApi, OneLoginClientOptions } from '../../src/onelogin/types';

function settings(values: Record<string, unknown>): SettingsSource {
  return {
    get: <T>(k: string) => values[k] as T | undefined,
    inspect: <T>(k: string) => ({ defaultValue: (k === 'baseUrl' ? 'https://api.us.onelogin.com' : undefined) as T, globalValue: values[k] as T }),
  };
}

describe('client provider', () => {
  it('builds the client lazily, once, from the settings; reset rebuilds', () => {
    const values: Record<string, unknown> = { baseUrl: 'http://127.0.0.1:8123', requestTimeout: 5 };
    const made: OneLoginClientOptions[] = [];
    const provider = new ClientProvider(
      new Config(() => settings(values)),
      async () => undefined,
      () => undefined,
      (o) => {
        made.push(o);
        return {} as OneLoginApi;
      },
    );
    assert.equal(made.length, 0, 'nothing is built before first use');
    provider.get();
    provider.get();
    assert.equal(made.length, 1);
    assert.equal(made[0].baseUrl, 'http://127.0.0.1:8123');
    assert.equal(made[0].requestTimeoutMs, 5000);
    values.baseUrl = 'https://acme.onelogin.com';
    provider.reset();
    provider.get();
    assert.equal(made[1].baseUrl, 'https://acme.onelogin.com');
  });

  it('an invalid base URL throws before any client exists', () => {
    let built = 0;
    const provider = new ClientProvider(new Config(() => settings({ baseUrl: 'http://evil.example.com' })), async () => undefined, () => undefined, () => {
      built++;
      return {} as OneLoginApi;
    });
    assert.throws(() => provider.get(), (e: unknown) => e instanceof OneLoginError && e.code === 'INVALID_BASE_URL');
    assert.equal(built, 0);
  });
});
