import { strict as assert } from 'node:assert';
import { gaugeFrom, gaugeLevel, gaugeText, RateLimitGauge } from '../../src/workflow/rateLimit';

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
});
