import { strict as assert } from 'node:assert';
import { boundedMaxEntries, HISTORY_KEY, HistoryStore, historyRecordFor, parseHistory, type HistoryRecord, type HistoryStorage } from '../../src/records/history';
import type { VerificationEntry } from '../../src/verification/store';

class Memory implements HistoryStorage {
  data = new Map<string, unknown>();
  writes = 0;
  get<T>(key: string): T | undefined {
    // Like VS Code's Memento: a JSON copy.
    const v = this.data.get(key);
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

const rec = (verificationId: string, over: Partial<HistoryRecord> = {}): HistoryRecord => ({ userId: '1001', verificationId, phase: 'accepted', attempts: 3, source: 'poll', ...over });

describe('verification history', () => {
  let now = 1_000;
  const clock = (): number => now;
  beforeEach(() => (now = 1_000));

  describe('two windows over one globalState (issue 14, defect 7)', () => {
    /** Like VS Code's globalState seen from two windows: one stored value, handed out by reference. */
    class Shared implements HistoryStorage {
      value: unknown;
      get<T>(): T | undefined {
        return this.value as T | undefined;
      }
      update(_key: string, value: unknown): Promise<void> {
        this.value = value;
        return Promise.resolve();
      }
    }

    it('each window merges with what is stored instead of writing its own stale copy whole', async () => {
      const storage = new Shared();
      const a = new HistoryStore(storage, () => 50, clock);
      const b = new HistoryStore(storage, () => 50, clock);
      assert.deepEqual(a.entries(), []);
      assert.deepEqual(b.entries(), []); // both have read (and cached) the empty history
      await a.record(rec('from-a'));
      now = 2_000;
      await b.record(rec('from-b'));
      now = 3_000;
      await a.record(rec('from-a-2'));
      assert.deepEqual(
        parseHistory(storage.value).map((e) => e.verificationId),
        ['from-a-2', 'from-b', 'from-a'],
      );
      assert.deepEqual(b.entries().map((e) => e.verificationId), ['from-a-2', 'from-b', 'from-a'], 'b sees a\'s writes');
    });

    it('a late echo of an older write of ours does not take back newer records (VS Code replaces globalState when the main side echoes)', async () => {
      const storage = new Shared();
      const a = new HistoryStore(storage, () => 50, clock);
      await a.record(rec('e1'));
      const echo = storage.value;
      now = 2_000;
      await a.record(rec('e2'));
      storage.value = JSON.parse(JSON.stringify(echo)); // the echo of the first write arrives late
      assert.deepEqual(a.entries().map((e) => e.verificationId), ['e2', 'e1']);
      now = 3_000;
      await a.clear();
      storage.value = JSON.parse(JSON.stringify(echo));
      assert.deepEqual(a.entries(), [], 'cleared entries do not come back with an echo');
    });

    it('records made in a row, before the first write reached storage, are all kept', async () => {
      const storage = new Shared();
      const slow = { get: <T>(): T | undefined => storage.get<T>(), update: (k: string, v: unknown) => new Promise<void>((r) => setImmediate(() => void storage.update(k, v).then(r))) };
      const a = new HistoryStore(slow, () => 50, clock);
      const writes = [a.record(rec('r1')), a.record(rec('r2')), a.record(rec('r3'))];
      await Promise.all(writes);
      assert.deepEqual(parseHistory(storage.value).map((e) => e.verificationId), ['r3', 'r2', 'r1']);
    });

    it('a window learns that another one changed the history (refreshIfChanged fires onDidChange once)', async () => {
      const storage = new Shared();
      const a = new HistoryStore(storage, () => 50, clock);
      const b = new HistoryStore(storage, () => 50, clock);
      b.entries();
      let fired = 0;
      b.onDidChange(() => fired++);
      assert.equal(b.refreshIfChanged(), false);
      await a.record(rec('v1'));
      assert.equal(b.refreshIfChanged(), true);
      assert.equal(fired, 1);
      assert.deepEqual(b.entries().map((e) => e.verificationId), ['v1']);
      assert.equal(b.refreshIfChanged(), false);
      await b.record(rec('v2'));
      assert.equal(b.refreshIfChanged(), false, 'its own write is not news');
    });
  });

  it('survives a restart: a new store over the same storage reads it back, newest first', async () => {
    const storage = new Memory();
    const a = new HistoryStore(storage, () => 50, clock);
    await a.record(rec('v1', { deviceId: '3919988', startedAt: 500 }));
    now = 2_000;
    await a.record(rec('v2', { phase: 'expired', attempts: 60 }));
    const b = new HistoryStore(storage, () => 50, clock);
    assert.deepEqual(b.entries(), [
      { key: '1001/v2', userId: '1001', verificationId: 'v2', phase: 'expired', startedAt: 2_000, endedAt: 2_000, attempts: 60, source: 'poll' },
      { key: '1001/v1', userId: '1001', verificationId: 'v1', deviceId: '3919988', phase: 'accepted', startedAt: 500, endedAt: 1_000, attempts: 3, source: 'poll' },
    ]);
  });

  it('one entry per verification: an update moves it to the top and keeps its start and source', async () => {
    const h = new HistoryStore(new Memory(), () => 50, clock);
    await h.record(rec('v1', { source: 'trigger', phase: 'expired' }));
    await h.record(rec('v2'));
    now = 5_000;
    await h.record(rec('v1', { source: 'poll', phase: 'accepted', attempts: 9 }));
    const [top, second] = h.entries();
    assert.equal(h.entries().length, 2);
    assert.deepEqual([top.verificationId, top.phase, top.startedAt, top.endedAt, top.source, top.attempts], ['v1', 'accepted', 1_000, 5_000, 'trigger', 9]);
    assert.equal(second.verificationId, 'v2');
    await h.record(rec('v1', { source: 'otp' }));
    assert.equal(h.entries()[0].source, 'otp', 'an accepted code says so');
  });

  it('bounded by the setting; 0 turns it off and forgets what was kept', async () => {
    const storage = new Memory();
    let max = 3;
    const h = new HistoryStore(storage, () => max, clock);
    for (let i = 0; i < 5; i++) await h.record(rec(`v${i}`));
    assert.deepEqual(h.entries().map((e) => e.verificationId), ['v4', 'v3', 'v2']);
    max = 2;
    await h.applyLimit();
    assert.deepEqual(h.entries().map((e) => e.verificationId), ['v4', 'v3']);
    assert.equal((storage.get<{ entries: unknown[] }>(HISTORY_KEY)?.entries ?? []).length, 2);
    max = 0;
    assert.equal(h.enabled, false);
    await h.applyLimit();
    assert.equal(storage.data.has(HISTORY_KEY), false, 'the key is removed');
    await h.record(rec('v9'));
    assert.deepEqual(h.entries(), []);
    assert.equal(storage.data.has(HISTORY_KEY), false, 'nothing is recorded while off');
    assert.equal(boundedMaxEntries(1e6), 500);
    assert.equal(boundedMaxEntries(-3), 0);
    assert.equal(boundedMaxEntries(7.9), 7);
    assert.equal(boundedMaxEntries('10'), 50);
  });

  it('Clear History empties it', async () => {
    const storage = new Memory();
    const h = new HistoryStore(storage, () => 50, clock);
    await h.record(rec('v1'));
    await h.record(rec('v2'));
    assert.equal(await h.clear(), 2);
    assert.deepEqual(h.entries(), []);
    assert.equal(storage.data.has(HISTORY_KEY), false);
  });

  it('stored data is untrusted: bad entries, duplicates and other versions are dropped', () => {
    assert.deepEqual(parseHistory(undefined), []);
    assert.deepEqual(parseHistory({ version: 2, entries: [] }), []);
    assert.deepEqual(parseHistory({ version: 1, entries: 'x' }), []);
    const good = { userId: '1', verificationId: 'v', phase: 'accepted', startedAt: 1, endedAt: 2, attempts: 3, source: 'poll' };
    const parsed = parseHistory({
      version: 1,
      entries: [
        good,
        good,
        { ...good, verificationId: '../../etc' },
        { ...good, verificationId: 'w', phase: 'hacked' },
        { ...good, verificationId: 'x', startedAt: 'yesterday' },
        { ...good, verificationId: 'y', errorKind: '<img src=x>', token: 'tok-123', body: '{"access_token":"a"}' },
      ],
    });
    assert.deepEqual(parsed.map((e) => e.verificationId), ['v', 'y']);
    assert.deepEqual(Object.keys(parsed[1]).sort(), ['attempts', 'endedAt', 'key', 'phase', 'source', 'startedAt', 'userId', 'verificationId']);
  });

  it('holds no secret: only ids, phase, times, counts and an error kind are ever written', async () => {
    const storage = new Memory();
    const h = new HistoryStore(storage, () => 50, clock);
    const sneaky = { ...rec('v1', { phase: 'error', errorKind: 'auth' }), message: 'Bearer tok-SECRET', token: 'tok-SECRET', body: 'tok-SECRET' } as HistoryRecord;
    await h.record(sneaky);
    await h.record(rec('v2', { errorKind: 'Bearer tok-SECRET' }));
    const text = JSON.stringify(storage.data.get(HISTORY_KEY));
    assert.ok(!text.includes('tok-SECRET'), text);
    assert.equal(h.entries()[1].errorKind, 'auth');
  });

  it('what gets recorded from the verification store', () => {
    const entry = (over: Partial<VerificationEntry>, state: Partial<VerificationEntry['state']> = {}): VerificationEntry => ({
      key: '1/v',
      state: { phase: 'accepted', userId: '1', verificationId: 'v', attempt: 4, expiresAt: 0, ...state },
      polling: false,
      source: 'poll',
      seq: 1,
      updatedAt: 0,
      ...over,
    });
    assert.equal(historyRecordFor(entry({ polling: true }, { phase: 'pending' })), undefined, 'a running poll');
    assert.equal(historyRecordFor(entry({ source: 'restored' })), undefined, 'restored after a reload');
    assert.equal(historyRecordFor(entry({}, { phase: 'idle' })), undefined);
    assert.deepEqual(historyRecordFor(entry({})), { userId: '1', verificationId: 'v', phase: 'accepted', attempts: 4, source: 'poll' });
    assert.deepEqual(historyRecordFor(entry({ source: 'check' }, { phase: 'pending', deviceId: '9' })), { userId: '1', verificationId: 'v', phase: 'pending', attempts: 4, source: 'check', deviceId: '9' });
    const triggered = historyRecordFor(entry({ trigger: { deviceId: '77', deadlineSource: 'local', triggeredAt: 42 } }, { phase: 'error', error: { kind: 'auth', message: 'Authentication Failure' } }));
    assert.deepEqual(triggered, { userId: '1', verificationId: 'v', phase: 'error', attempts: 4, source: 'trigger', deviceId: '77', errorKind: 'auth', startedAt: 42 });
    assert.equal(historyRecordFor(entry({ source: 'otp' }))?.source, 'otp');
  });
});
