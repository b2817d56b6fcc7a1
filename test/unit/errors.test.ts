import * as assert from 'node:assert/strict';
import { OneLoginError } from '../../src/onelogin/errors';

describe('OneLoginError across bundles', () => {
  it('instanceof holds between two copies of the class (dist/client.js has its own copy)', () => {
    const file = require.resolve('../../src/onelogin/errors');
    const saved = require.cache[file];
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const other = require(file) as typeof import('../../src/onelogin/errors');
    if (saved) require.cache[file] = saved;
    assert.notEqual(other.OneLoginError, OneLoginError, 'a second copy of the module');
    assert.ok(new other.OneLoginError('network', 'x') instanceof OneLoginError);
    assert.ok(new OneLoginError('network', 'x') instanceof other.OneLoginError);
  });

  it('other errors and look-alikes are not OneLoginErrors', () => {
    assert.equal(new Error('x') instanceof OneLoginError, false);
    assert.equal({ kind: 'network', message: 'x' } instanceof OneLoginError, false);
    assert.equal((null as unknown) instanceof OneLoginError, false);
  });
});
