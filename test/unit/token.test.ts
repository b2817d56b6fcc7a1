import { strict as assert } from 'node:assert';
import { TokenProvider } from '../../src/onelogin/token';

describe('TokenProvider', () => {
  const creds = { kind: 'clientCredentials' as const, clientId: 'id-1', clientSecret: 'secret-1' };

  it('passes an access token through, not refreshable', async () => {
    const provider = new TokenProvider(() => Promise.reject(new Error('must not mint')));
    assert.deepEqual(await provider.resolve({ kind: 'accessToken', accessToken: 'tok' }), { token: 'tok', refreshable: false });
  });

  it('mints once for concurrent callers and caches until shortly before expiry', async () => {
    let now = 0;
    let mints = 0;
    const provider = new TokenProvider(async () => ({ accessToken: `t${++mints}`, expiresIn: 36_000 }), () => now);
    const [a, b] = await Promise.all([provider.resolve(creds), provider.resolve(creds)]);
    assert.equal(a.token, 't1');
    assert.equal(b.token, 't1');
    assert.equal(mints, 1);
    now = 36_000_000 - 5 * 60_000 - 1; // just inside the 5-minute margin
    assert.equal((await provider.resolve(creds)).token, 't1');
    now += 2;
    assert.equal((await provider.resolve(creds)).token, 't2');
  });

  it('mints again after invalidate, and for other credentials', async () => {
    let mints = 0;
    const provider = new TokenProvider(async (id) => ({ accessToken: `${id}-${++mints}`, expiresIn: 100 }));
    assert.equal((await provider.resolve(creds)).token, 'id-1-1');
    provider.invalidate('id-1-1');
    assert.equal((await provider.resolve(creds)).token, 'id-1-2');
    assert.equal((await provider.resolve({ ...creds, clientId: 'id-2' })).token, 'id-2-3');
  });

  it('ready(): the token at once when no mint is needed, else undefined', async () => {
    let now = 0;
    const provider = new TokenProvider(async () => ({ accessToken: 'minted', expiresIn: 100 }), () => now);
    assert.deepEqual(provider.ready({ kind: 'accessToken', accessToken: 'tok' }), { token: 'tok', refreshable: false });
    assert.equal(provider.ready(creds), undefined);
    await provider.resolve(creds);
    assert.deepEqual(provider.ready(creds), { token: 'minted', refreshable: true });
    assert.equal(provider.ready({ ...creds, clientSecret: 'other' }), undefined, 'another credential has no cached token');
    await provider.resolve(creds);
    now = 100_000; // past expiry minus the margin
    assert.equal(provider.ready(creds), undefined);
  });

  it('does not cache a failed mint', async () => {
    let calls = 0;
    const provider = new TokenProvider(async () => {
      if (++calls === 1) throw new Error('boom');
      return { accessToken: 'ok', expiresIn: 100 };
    });
    await assert.rejects(provider.resolve(creds), /boom/);
    assert.equal((await provider.resolve(creds)).token, 'ok');
  });
});
