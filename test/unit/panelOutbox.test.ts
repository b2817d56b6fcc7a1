import * as assert from 'node:assert/strict';
import type { EntryView, ExchangeView, UpdateMessage } from '../../src/panel/messages';
import { Outbox } from '../../src/panel/outbox';

const entry = (key: string, phase: EntryView['phase']): UpdateMessage => ({
  type: 'entry',
  hostNow: 1,
  entry: { key, userId: key.split('/')[0] ?? '', verificationId: key.split('/')[1] ?? '', phase, polling: phase === 'pending', source: 'poll', attempt: 1, expiresAt: 0 },
});
const exchange = (key: string, id: number): UpdateMessage => ({ type: 'exchange', hostNow: 1, key, exchange: { id } as unknown as ExchangeView, hiddenExchanges: 0 });

describe('panel Outbox: the updates owed to the webview', () => {
  it('nothing owed: nothing to post', () => {
    assert.equal(new Outbox().take(5), undefined);
  });

  it('one update goes alone, as it is', () => {
    const o = new Outbox();
    const m = entry('1/a', 'pending');
    o.add(m);
    assert.equal(o.take(5), m);
    assert.equal(o.size, 0);
  });

  it('a newer state of a verification replaces the older; other verifications and every exchange are kept, in order', () => {
    const o = new Outbox();
    o.add(entry('1/a', 'pending'));
    o.add(exchange('1/a', 1));
    o.add(entry('2/b', 'pending'));
    o.add(exchange('1/a', 2));
    o.add(entry('1/a', 'accepted'));
    const m = o.take(9);
    assert.ok(m && m.type === 'batch');
    assert.equal(m.hostNow, 9);
    assert.deepEqual(
      m.messages.map((x) => (x.type === 'entry' ? `entry ${x.entry.key} ${x.entry.phase}` : x.type === 'exchange' ? `exchange ${x.exchange.id}` : x.type)),
      ['exchange 1', 'entry 2/b pending', 'exchange 2', 'entry 1/a accepted'],
    );
  });

  it('the latest gauge, history and device listing replace earlier ones', () => {
    const o = new Outbox();
    const gauge = (remaining: number): UpdateMessage => ({ type: 'rateLimit', hostNow: 1, gauge: { remaining } as never });
    o.add(gauge(5));
    o.add({ type: 'history', hostNow: 1, history: { entries: [], enabled: true } as never });
    o.add(gauge(4));
    o.add({ type: 'history', hostNow: 2, history: { entries: [], enabled: false } as never });
    const m = o.take(3);
    assert.ok(m && m.type === 'batch');
    assert.deepEqual(m.messages.map((x) => `${x.type}@${x.hostNow}`), ['rateLimit@1', 'history@2']);
    assert.equal((m.messages[0] as { gauge: { remaining: number } }).gauge.remaining, 4);
  });
});
