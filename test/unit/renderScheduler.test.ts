import * as assert from 'node:assert/strict';
import * as FakeTimers from '@sinonjs/fake-timers';
import { RenderScheduler } from '../../src/util/renderScheduler';

describe('RenderScheduler: coalesced renders', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  beforeEach(() => {
    clock = FakeTimers.install({ now: 1_000_000 });
  });
  afterEach(() => clock.uninstall());

  it('changes made in one turn render once, on the next turn', async () => {
    let renders = 0;
    const s = new RenderScheduler(() => renders++, 100);
    s.request();
    s.request();
    s.request();
    assert.equal(renders, 0, 'not inside the change event');
    assert.equal(s.pending, true);
    await clock.tickAsync(0);
    assert.equal(renders, 1);
    assert.equal(s.pending, false);
  });

  it('a stream of changes renders at most once per gap, and the last change is always rendered', async () => {
    let renders = 0;
    const s = new RenderScheduler(() => renders++, 100);
    // 1000 changes over one second, one per millisecond.
    for (let i = 0; i < 1000; i++) {
      s.request();
      await clock.tickAsync(1);
    }
    await clock.tickAsync(100);
    assert.ok(renders >= 10 && renders <= 11, `renders: ${renders}`);
    assert.equal(s.pending, false, 'nothing owed after the stream ends');
  });

  it('after a quiet spell the first change renders at once (next turn), not a gap later', async () => {
    let renders = 0;
    const s = new RenderScheduler(() => renders++, 100);
    s.request();
    await clock.tickAsync(0);
    await clock.tickAsync(500);
    s.request();
    await clock.tickAsync(0);
    assert.equal(renders, 2);
  });

  it('flush() renders what is owed now, and only then', async () => {
    let renders = 0;
    const s = new RenderScheduler(() => renders++, 100);
    s.flush();
    assert.equal(renders, 0, 'nothing owed');
    s.request();
    s.flush();
    assert.equal(renders, 1);
    await clock.tickAsync(200);
    assert.equal(renders, 1, 'the timer went with the flush');
  });

  it('dispose() cancels what is owed and leaves no timer', async () => {
    let renders = 0;
    const s = new RenderScheduler(() => renders++, 100);
    s.request();
    s.dispose();
    s.request();
    assert.equal(clock.countTimers(), 0);
    await clock.tickAsync(1000);
    assert.equal(renders, 0);
  });
});
