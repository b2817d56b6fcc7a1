import { strict as assert } from 'node:assert';
import { gaugeFrom, gaugeLevel, gaugeText, RateLimitGauge, withSlowdown } from '../../src/records/rateLimit';

describe('rate-limit gauge', () => {
  it('levels: ok, low (under 10 % or 100 calls), exhausted, unknown', () => {
    assert.equal(gaugeLevel(4988, 5000), 'ok');
    assert.equal(gaugeLevel(499, 5000), 'low');
    assert.equal(gaugeLevel(99, undefined), 'low');
    assert.equal(gaugeLevel(0, 5000), 'exhausted');
    assert.equal(gaugeLevel(undefined, 5000), 'unknown');
  });

  it('reads the numbers of a response, the reset counted from when it arrived', () => {
    assert.deepEqual(gaugeFrom({ limit: 5000, remaining: 4988, resetSeconds: 832 }, 10_000), {
      observedAt: 10_000,
      level: 'ok',
      limit: 5000,
      remaining: 4988,
      resetAt: 842_000,
      fraction: 0.9976,
    });
    assert.equal(gaugeFrom({}, 1), undefined, 'a response without the headers changes nothing');
    assert.equal(gaugeFrom({ limit: Number.NaN, remaining: -1 }, 1), undefined);
  });

  it('keeps the latest observation; an older response arriving late does not win', () => {
    const g = new RateLimitGauge();
    assert.equal(g.view(), undefined);
    assert.equal(g.update({ limit: 5000, remaining: 10 }, 2_000), true);
    assert.equal(g.update({ limit: 5000, remaining: 11 }, 1_000), false);
    assert.equal(g.view()?.remaining, 10);
    assert.equal(g.update({ limit: 5000, remaining: 10 }, 3_000), false, 'same numbers: no change to announce');
    assert.equal(g.update(undefined, 4_000), false);
    assert.equal(g.update({ limit: 5000, remaining: 9, resetSeconds: 60 }, 5_000), true);
    assert.equal(g.view()?.level, 'low');
  });

  it('text for the status bar tooltip', () => {
    const v = gaugeFrom({ limit: 5000, remaining: 4988, resetSeconds: 832 }, 0);
    assert.ok(v);
    assert.equal(gaugeText(v, 0), 'API rate limit: 4988 of 5000 calls left, resets in 14 min');
    assert.equal(gaugeText(v, 800_000), 'API rate limit: 4988 of 5000 calls left, resets in 32 s');
    const remainingOnly = gaugeFrom({ remaining: 3 }, 0);
    assert.ok(remainingOnly);
    assert.equal(gaugeText(remainingOnly, 0), 'API rate limit: 3 calls left');
  });

  it('says when polling is slowed to protect the budget, and by how much (issue 14); nothing when it is not', () => {
    const gauge = gaugeFrom({ limit: 5000, remaining: 900, resetSeconds: 600 }, 0);
    const plain = withSlowdown(gauge, { polls: 3, slowedPolls: 0, factor: 1, projectedCalls: 10, allowedCalls: 450, maxShare: 0.5 });
    assert.equal(plain?.slowed, undefined);
    assert.doesNotMatch(gaugeText(plain!, 0), /slowed/);
    const slowed = withSlowdown(gauge, { polls: 20, slowedPolls: 20, factor: 7.2, slowedIntervalMs: 7200, projectedCalls: 18_000, allowedCalls: 450, maxShare: 0.5 });
    assert.deepEqual(slowed?.slowed, { polls: 20, running: 20, factor: 7.2, intervalSeconds: 8, sharePercent: 50 });
    assert.equal(
      gaugeText(slowed!, 0),
      'API rate limit: 900 of 5000 calls left, resets in 10 min\nPolling slowed to protect the rate limit: 20 of 20 polls check every 8 s (×7.2 slower), to spend at most 50% of the calls left.',
    );
  });
});
