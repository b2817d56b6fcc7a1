import { strict as assert } from 'node:assert';
import type { Device } from '../../src/onelogin/types';
import { acceptsCode, defaultDevice, deviceLabel, devicePickItems, devicesView, factorKind, needsCode, orderDevices } from '../../src/verification/devices';

const protect: Device = { deviceId: '3919988', userDisplayName: 'My iPhone', typeDisplayName: 'OneLogin Protect', authFactorName: 'OneLogin Protect', isDefault: false };
const voice: Device = { deviceId: '3919989', userDisplayName: '+1 XXX-XXX-0142', typeDisplayName: 'OneLogin Voice', authFactorName: 'OneLogin Voice', isDefault: true };
const totp: Device = { deviceId: '77', userDisplayName: 'Work phone', typeDisplayName: 'Authenticator', authFactorName: 'Google Authenticator', isDefault: false };
const sms: Device = { deviceId: '78', typeDisplayName: 'OneLogin SMS', authFactorName: 'OneLogin SMS', isDefault: false };
const email: Device = { deviceId: '79', typeDisplayName: 'OneLogin Email', authFactorName: 'OneLogin Email', isDefault: false };

describe('workflow: devices', () => {
  it('orders the default device first, the others in the order OneLogin listed them', () => {
    assert.deepEqual(orderDevices([protect, totp, voice, sms]).map((d) => d.deviceId), ['3919989', '3919988', '77', '78']);
    assert.deepEqual(orderDevices([totp, sms]).map((d) => d.deviceId), ['77', '78'], 'no default: unchanged');
    assert.deepEqual(orderDevices([]), []);
    const input = [protect, voice];
    orderDevices(input);
    assert.deepEqual(input.map((d) => d.deviceId), ['3919988', '3919989'], 'the input is not reordered');
  });

  it('the default device, else the first one', () => {
    assert.equal(defaultDevice([protect, voice])?.deviceId, '3919989');
    assert.equal(defaultDevice([totp, sms])?.deviceId, '77');
    assert.equal(defaultDevice([]), undefined);
  });

  it('tells pushes, calls and code factors apart', () => {
    assert.equal(factorKind(protect), 'push');
    assert.equal(factorKind(voice), 'call');
    assert.equal(factorKind(totp), 'code');
    assert.equal(factorKind(sms), 'code');
    assert.equal(factorKind(email), 'code');
    assert.equal(factorKind({ authFactorName: 'Yubico YubiKey' }), 'code');
    assert.equal(factorKind({ authFactorName: 'WebAuthn' }), 'unknown');
    assert.equal(factorKind({}), 'unknown');
    assert.equal(needsCode('code'), true);
    assert.equal(needsCode('call'), false);
    assert.equal(acceptsCode('call'), true, 'OneLogin Voice may ask for a code after the call');
    assert.equal(acceptsCode('push'), false);
  });

  it('labels: display name and type, falling back to the type, then the id', () => {
    assert.equal(deviceLabel(protect), 'My iPhone · OneLogin Protect');
    assert.equal(deviceLabel(sms), 'OneLogin SMS');
    assert.equal(deviceLabel({ deviceId: '5' }), '5');
  });

  it('QuickPick rows: default first, type and "default" shown, code factors marked', () => {
    const items = devicePickItems([protect, totp, voice]);
    assert.deepEqual(items.map((i) => i.deviceId), ['3919989', '3919988', '77']);
    assert.match(items[0].label, /\+1 XXX-XXX-0142/);
    assert.equal(items[0].description, 'OneLogin Voice · default');
    assert.match(items[0].detail, /device id 3919989/);
    assert.match(items[0].detail, /code may be asked after the call/);
    assert.equal(items[1].description, 'OneLogin Protect');
    assert.doesNotMatch(items[1].detail, /code/);
    assert.match(items[2].detail, /needs a one-time code/);
    assert.equal(items[2].factor, 'code');
    assert.ok(!items.some((i) => 'kind' in i), 'no `kind` field: QuickPickItem uses it for separators');
  });

  it('the panel view: ordered devices with kinds, and the factors', () => {
    const v = devicesView('1001', [protect, voice], [{ factorId: '227', name: 'OneLogin Protect', authFactorName: 'OneLogin Protect' }, { factorId: '9' }], 1234);
    assert.equal(v.userId, '1001');
    assert.equal(v.fetchedAt, 1234);
    assert.deepEqual(v.devices.map((d) => [d.deviceId, d.kind, d.isDefault]), [
      ['3919989', 'call', true],
      ['3919988', 'push', false],
    ]);
    assert.deepEqual(v.factors, [
      { factorId: '227', name: 'OneLogin Protect', authFactorName: 'OneLogin Protect' },
      { factorId: '9', name: '9' },
    ]);
    assert.equal(devicesView('1', [], undefined, 0, 'HTTP 403').factorsError, 'HTTP 403');
  });
});
