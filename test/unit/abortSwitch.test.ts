import { strict as assert } from 'node:assert';
import { AbortSwitch } from '../../src/onelogin/abortSwitch';

describe('AbortSwitch (the per-request signal handed to axios)', () => {
  it('calls each abort listener once, not removed ones, and ignores other event types', () => {
    const s = new AbortSwitch();
    const calls: string[] = [];
    const a = (): void => void calls.push('a');
    const b = (): void => void calls.push('b');
    s.addEventListener('abort', a);
    s.addEventListener('abort', b);
    s.addEventListener('other', () => calls.push('other'));
    s.removeEventListener('abort', b);
    assert.equal(s.aborted, false);
    s.abort();
    s.abort();
    assert.equal(s.aborted, true);
    assert.deepEqual(calls, ['a']);
  });

  it('a listener that throws does not keep the others from running; none is kept after the abort', () => {
    const s = new AbortSwitch();
    let ran = 0;
    s.addEventListener('abort', () => {
      throw new Error('boom');
    });
    s.addEventListener('abort', () => void ran++);
    s.abort();
    s.addEventListener('abort', () => void ran++); // too late: already aborted
    s.abort();
    assert.equal(ran, 1);
  });
});
