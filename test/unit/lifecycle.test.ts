import { strict as assert } from 'node:assert';
import { Disposable, disposeAll, Emitter, toDisposable } from '../../src/util/lifecycle';

class Owner extends Disposable {
  add<T extends { dispose(): void }>(d: T): T {
    return this.register(d);
  }
}

describe('lifecycle', () => {
  it('disposes owned things once, in reverse order', () => {
    const order: number[] = [];
    const owner = new Owner();
    owner.add(toDisposable(() => order.push(1)));
    owner.add(toDisposable(() => order.push(2)));
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, [2, 1]);
  });

  it('registering after dispose disposes at once', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = false;
    owner.add(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
  });

  it('one failing dispose does not stop the others', () => {
    let ran = false;
    assert.throws(() =>
      disposeAll([
        toDisposable(() => (ran = true)),
        toDisposable(() => {
          throw new Error('boom');
        }),
      ]),
    );
    assert.equal(ran, true);
  });

  it('emitter isolates listener errors and stops after dispose', () => {
    const errors: unknown[] = [];
    const e = new Emitter<number>((x) => errors.push(x));
    const seen: number[] = [];
    e.event(() => {
      throw new Error('bad');
    });
    const sub = e.event((v) => seen.push(v));
    e.fire(1);
    sub.dispose();
    e.fire(2);
    assert.deepEqual(seen, [1]);
    assert.equal(errors.length, 2);
    e.dispose();
    e.fire(3);
    assert.equal(errors.length, 2);
  });
});
