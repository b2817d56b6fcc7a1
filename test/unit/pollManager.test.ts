import * as assert from 'node:assert/strict';
import * as FakeTimers from '@sinonjs/fake-timers';
import { OneLoginError } from '../../src/onelogin/errors';
import { MAX_FINISHED, PollManager, type PollDefaults } from '../../src/verification/pollManager';
import { verificationKey, type PollState, type VerificationStatus, type VerificationStatusResult } from '../../src/verification/types';

const T0 = 1_700_000_000_000;

type Check = (signal: AbortSignal) => Promise<VerificationStatusResult>;

const answer = (id: string, status: VerificationStatus): Promise<VerificationStatusResult> =>
  Promise.resolve({ id, status, httpStatus: 200, exchangeId: 1 });

/** Per verification id: a script of statuses (last one repeats), or 'hang' for a request that never answers. */
class FakeApi {
  readonly calls = new Map<string, number[]>();
  readonly signals: AbortSignal[] = [];
  factoryCalls = 0;
  constructor(private readonly script: (verificationId: string) => VerificationStatus[] | 'hang') {}

  readonly createCheck = (userId: string, verificationId: string): Check => {
    this.factoryCalls += 1;
    return (signal) => {
      const key = verificationKey(userId, verificationId);
      const times = this.calls.get(key) ?? [];
      this.calls.set(key, [...times, Date.now() - T0]);
      this.signals.push(signal);
      const steps = this.script(verificationId);
      if (steps === 'hang') {
        return new Promise((_r, reject) => signal.addEventListener('abort', () => reject(new OneLoginError('cancelled', 'aborted'))));
      }
      return answer(verificationId, steps[Math.min(times.length, steps.length - 1)]);
    };
  };

  times(userId: string, verificationId: string): number[] {
    return this.calls.get(verificationKey(userId, verificationId)) ?? [];
  }
}

describe('PollManager', () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  let defaults: PollDefaults;

  beforeEach(() => {
    clock = FakeTimers.install({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    defaults = { intervalMs: 2000, timeoutMs: 120_000, random: () => 0.5 };
  });
  afterEach(() => clock.uninstall());

  const manager = (api: FakeApi): PollManager => new PollManager(api.createCheck, () => defaults);

  it('pollKey joins user and verification ids', () => {
    assert.equal(verificationKey('42', '406fefd4'), '42/406fefd4');
  });

  it('never starts a second loop for a verification that is already polling', async () => {
    const api = new FakeApi(() => ['pending']);
    const m = manager(api);
    const a = m.start({ userId: 'u', verificationId: 'v' });
    const b = m.start({ userId: 'u', verificationId: 'v' });
    assert.equal(a, b);
    assert.equal(api.factoryCalls, 1);
    await clock.tickAsync(4000);
    assert.deepEqual(api.times('u', 'v'), [0, 2000, 4000]);
    assert.equal(m.get('u/v'), a);
    m.dispose();
  });

  it('polls a finished verification again with a new poller, listed once', async () => {
    const api = new FakeApi(() => ['accepted']);
    const m = manager(api);
    const first = m.start({ userId: 'u', verificationId: 'v' });
    await clock.tickAsync(0);
    assert.equal(first.state.phase, 'accepted');
    const second = m.start({ userId: 'u', verificationId: 'v' });
    assert.notEqual(second, first);
    assert.equal(m.get('u/v'), second);
    await clock.tickAsync(0);
    assert.equal(m.states().length, 1);
    assert.equal(api.times('u', 'v').length, 2);
  });

  it('passes expiresAt through and reads defaults() at each start', async () => {
    const api = new FakeApi(() => ['pending']);
    const m = manager(api);
    const a = m.start({ userId: 'u', verificationId: 'a', expiresAt: T0 + 30_000 });
    defaults = { ...defaults, intervalMs: 5000 };
    m.start({ userId: 'u', verificationId: 'b' });
    assert.equal(a.state.expiresAt, T0 + 30_000);
    await clock.tickAsync(10_000);
    assert.deepEqual(api.times('u', 'a'), [0, 2000, 4000, 6000, 8000, 10_000], 'a running poll keeps its interval');
    assert.deepEqual(api.times('u', 'b'), [0, 5000, 10_000]);
    m.dispose();
  });

  it('runs 200 polls at once, each on schedule, none held up by one that hangs', async () => {
    const api = new FakeApi((id) => (id === 'v0' ? 'hang' : ['pending', 'pending', 'accepted']));
    const m = manager(api);
    const pollers = Array.from({ length: 200 }, (_, i) => m.start({ userId: 'u', verificationId: `v${i}` }));
    await clock.tickAsync(10_000);
    for (let i = 1; i < 200; i++) {
      assert.deepEqual(api.times('u', `v${i}`), [0, 2000, 4000], `v${i}`);
      assert.equal(pollers[i].state.phase, 'accepted');
      assert.equal(pollers[i].state.lastCheckedAt, T0 + 4000);
    }
    assert.deepEqual(api.times('u', 'v0'), [0]);
    assert.equal(m.get('u/v0')?.state.phase, 'pending');
    assert.equal(m.states().length, 1 + MAX_FINISHED);
    assert.equal(m.states()[0].verificationId, 'v0', 'the running poll is listed first');
    assert.equal(m.stop(), 1);
    assert.equal(api.signals[0].aborted, true);
    assert.equal(clock.countTimers(), 0);
  });

  it('stop(key) cancels one poll, stop() the rest, and both count what they cancelled', async () => {
    const api = new FakeApi(() => ['pending']);
    const m = manager(api);
    const [a, b, c] = ['a', 'b', 'c'].map((v) => m.start({ userId: 'u', verificationId: v }));
    await clock.tickAsync(1000);
    const order = (): string[] => m.states().map((st) => `${st.verificationId}:${st.phase}`);
    assert.deepEqual(order(), ['c:pending', 'b:pending', 'a:pending'], 'newest first');
    assert.equal(m.stop('u/b'), 1);
    assert.equal(b.state.phase, 'cancelled');
    assert.deepEqual(order(), ['c:pending', 'a:pending', 'b:cancelled'], 'running first, then finished');
    assert.equal(m.stop('u/b'), 0, 'already stopped');
    assert.equal(m.stop('u/nope'), 0);
    await clock.tickAsync(1000);
    assert.equal(api.times('u', 'a').length, 2, 'the others keep polling');
    assert.equal(api.times('u', 'b').length, 1);
    assert.equal(m.stop(), 2);
    assert.deepEqual([a.state.phase, c.state.phase], ['cancelled', 'cancelled']);
    assert.equal(m.stop(), 0);
    assert.equal(clock.countTimers(), 0);
  });

  it('lists states most recent first and keeps at most MAX_FINISHED finished polls', async () => {
    const api = new FakeApi((id) => (id === 'slow' ? ['pending'] : ['accepted']));
    const m = manager(api);
    m.start({ userId: 'u', verificationId: 'slow' });
    for (let i = 0; i < MAX_FINISHED + 10; i++) {
      m.start({ userId: 'u', verificationId: `f${i}` });
      await clock.tickAsync(0);
    }
    const states = m.states();
    assert.equal(states.length, MAX_FINISHED + 1);
    assert.equal(states[0].verificationId, 'slow');
    assert.equal(states[1].verificationId, `f${MAX_FINISHED + 9}`);
    assert.equal(states[MAX_FINISHED].verificationId, 'f10');
    assert.equal(m.get('u/f0'), undefined, 'the oldest finished polls are forgotten');
    m.dispose();
  });

  it('forwards every state of every poll, in order, and survives a throwing listener', async () => {
    const api = new FakeApi((id) => (id === 'a' ? ['pending', 'accepted'] : ['rejected']));
    const m = manager(api);
    m.onDidChange(() => {
      throw new Error('listener bug');
    });
    const seen: string[] = [];
    const finishedInsideListener: number[] = [];
    m.onDidChange((s: PollState) => {
      seen.push(`${s.verificationId}:${s.phase}`);
      if (s.phase === 'accepted') finishedInsideListener.push(m.states().filter((x) => x.phase !== 'pending').length);
    });
    m.start({ userId: 'u', verificationId: 'a' });
    m.start({ userId: 'u', verificationId: 'b' });
    await clock.tickAsync(10_000);
    assert.deepEqual(seen, ['a:pending', 'b:pending', 'a:pending', 'b:rejected', 'a:pending', 'a:accepted']);
    assert.deepEqual(finishedInsideListener, [2], 'states() is up to date inside a listener');
  });

  it('settle(key) ends a running poll with an outcome learned elsewhere (an accepted OTP): request aborted, no timer left', async () => {
    const api = new FakeApi((id) => (id === 'h' ? 'hang' : ['pending']));
    const m = manager(api);
    const seen: PollState[] = [];
    m.onDidChange((s) => seen.push(s));
    const hanging = m.start({ userId: 'u', verificationId: 'h', deviceId: 'd7' });
    assert.equal(hanging.state.deviceId, 'd7', 'the device is known from the start');
    const done = hanging.start();
    await clock.tickAsync(500);
    assert.equal(m.settle('u/h', 'accepted', { lastHttpStatus: 200 }), true);
    const final = await done;
    assert.equal(final.phase, 'accepted');
    assert.equal(final.lastHttpStatus, 200);
    assert.equal(final.deviceId, 'd7');
    assert.equal(api.signals[0].aborted, true, 'the status request in flight is aborted');
    assert.equal(seen.at(-1)?.phase, 'accepted');
    assert.deepEqual(m.states().map((s) => s.phase), ['accepted']);
    assert.equal(m.settle('u/h', 'accepted'), false, 'already over');
    assert.equal(m.settle('u/none', 'accepted'), false);
    assert.equal(hanging.settle('rejected'), false, 'a finished poll keeps its outcome');
    assert.equal(clock.countTimers(), 0);
    m.dispose();
  });

  it('dispose() cancels everything, leaves no timers, silences listeners and refuses new polls', async () => {
    const api = new FakeApi((id) => (id === 'h' ? 'hang' : ['pending']));
    const m = manager(api);
    const seen: PollState[] = [];
    m.onDidChange((s) => seen.push(s));
    const polls = ['a', 'h'].map((v) => m.start({ userId: 'u', verificationId: v }));
    await clock.tickAsync(1000);
    m.dispose();
    assert.deepEqual(
      polls.map((p) => p.state.phase),
      ['cancelled', 'cancelled'],
    );
    assert.equal(api.signals[1].aborted, true, 'the hanging request is aborted');
    assert.equal(clock.countTimers(), 0);
    const count = seen.length;
    await clock.tickAsync(10_000);
    assert.equal(seen.length, count);
    assert.throws(() => m.start({ userId: 'u', verificationId: 'x' }), /disposed/);
    m.dispose(); // idempotent
  });
});
