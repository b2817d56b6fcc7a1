import { strict as assert } from 'node:assert';
import { CREDENTIALS_KEY, credentialsKey, CredentialStore, tenantOfKey, parseCredentials, secretProblem, summarize, type SecretStore } from '../../src/connection/credentialStore';

class FakeSecrets implements SecretStore {
  readonly data = new Map<string, string>();
  private readonly listeners = new Set<(e: { key: string }) => unknown>();
  async get(key: string): Promise<string | undefined> {
    return this.data.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.data.set(key, value);
    this.fire(key);
  }
  async delete(key: string): Promise<void> {
    this.data.delete(key);
    this.fire(key);
  }
  /** What another window does: change the value behind our back. */
  external(key: string, value: string | undefined): void {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, value);
    this.fire(key);
  }
  onDidChange(listener: (e: { key: string }) => unknown): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  private fire(key: string): void {
    for (const l of this.listeners) l({ key });
  }
}

const TOKEN = 'tok_0123456789abcdefghijWXYZ';
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('credential store (SecretStorage only)', () => {
  it('keeps each tenant under its own key; "default" keeps the original key', async () => {
    const secrets = new FakeSecrets();
    const store = new CredentialStore(secrets);
    const changes: string[] = [];
    store.onDidChange((c) => changes.push(`${c.tenant}:${c.kind}`));
    await store.setAccessToken(TOKEN);
    await store.setAccessToken('prod_token_0123456789ABCD', 'EU prod');
    assert.deepEqual([...secrets.data.keys()], [CREDENTIALS_KEY, credentialsKey('EU prod')]);
    assert.equal(tenantOfKey(credentialsKey('EU prod')), 'EU prod');
    assert.equal(tenantOfKey('someone.else'), undefined);
    assert.deepEqual(await store.get('EU prod'), { kind: 'accessToken', accessToken: 'prod_token_0123456789ABCD' });
    assert.deepEqual(await store.get(), { kind: 'accessToken', accessToken: TOKEN });
    await store.clear('EU prod');
    assert.equal(await store.get('EU prod'), undefined);
    assert.deepEqual(await store.get(), { kind: 'accessToken', accessToken: TOKEN }, 'clearing one tenant leaves the others');
    await tick();
    assert.deepEqual(changes, ['default:accessToken', 'EU prod:accessToken', 'EU prod:none']);
  });

  it('stores an access token as one record under one key', async () => {
    const secrets = new FakeSecrets();
    const store = new CredentialStore(secrets);
    const summary = await store.setAccessToken(`  ${TOKEN}  `);
    assert.deepEqual(summary, { kind: 'accessToken', masked: '••••WXYZ' });
    assert.deepEqual([...secrets.data.keys()], [CREDENTIALS_KEY]);
    assert.deepEqual(await store.get(), { kind: 'accessToken', accessToken: TOKEN });
  });

  it('client credentials replace a token atomically; clear removes everything', async () => {
    const secrets = new FakeSecrets();
    const store = new CredentialStore(secrets);
    await store.setAccessToken(TOKEN);
    await store.setClientCredentials('client-id-0001', 'client-secret-0002');
    assert.deepEqual(await store.get(), { kind: 'clientCredentials', clientId: 'client-id-0001', clientSecret: 'client-secret-0002' });
    await store.clear();
    assert.equal(await store.get(), undefined);
    assert.equal(secrets.data.size, 0);
  });

  it('rejects empty or malformed values without echoing them', async () => {
    const store = new CredentialStore(new FakeSecrets());
    await assert.rejects(store.setAccessToken('   '), /empty/);
    await assert.rejects(store.setAccessToken('abc def'), (e: Error) => !e.message.includes('abc def'));
    await assert.rejects(store.setClientCredentials('id', ''), /client secret is empty/);
    assert.equal(secretProblem('access token', 'x\u0007y')?.includes('control'), true);
    assert.equal(secretProblem('access token', TOKEN), undefined);
  });

  it('reacts to a change made in another window', async () => {
    const secrets = new FakeSecrets();
    const store = new CredentialStore(secrets);
    await store.setAccessToken(TOKEN);
    const seen: string[] = [];
    store.onDidChange((s) => seen.push(s.kind));
    secrets.external(CREDENTIALS_KEY, JSON.stringify({ kind: 'clientCredentials', clientId: 'other-client', clientSecret: 'other-secret' }));
    await tick();
    assert.deepEqual(await store.get(), { kind: 'clientCredentials', clientId: 'other-client', clientSecret: 'other-secret' });
    secrets.external(CREDENTIALS_KEY, undefined);
    await tick();
    assert.equal(await store.get(), undefined);
    assert.deepEqual(seen.slice(-2), ['clientCredentials', 'none']);
    secrets.external('someone-else', 'x');
    await tick();
    assert.equal(seen.length, 2, 'other keys are ignored');
  });

  it('a malformed stored record reads as "no credentials"', () => {
    for (const raw of [undefined, '', 'not json', '[]', '{"kind":"accessToken"}', '{"kind":"clientCredentials","clientId":"a"}', '{"kind":"x"}']) {
      assert.equal(parseCredentials(raw), undefined, String(raw));
    }
  });

  it('the summary never holds the secret', () => {
    const s = summarize({ kind: 'clientCredentials', clientId: 'client-id-ABCDEFGH', clientSecret: 'secret-value-12345678' });
    assert.ok(!JSON.stringify(s).includes('secret-value'));
    assert.ok(!JSON.stringify(s).includes('client-id-ABCD'));
    assert.deepEqual(summarize(undefined), { kind: 'none' });
  });
});
