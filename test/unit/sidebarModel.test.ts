import { strict as assert } from 'node:assert';
import { isTicking, SidebarModel, type SidebarRow } from '../../src/sidebar/model';
import { RecentDevices } from '../../src/records/recentDevices';
import { rowIds } from '../../src/sidebar/ids';
import type { VerificationEntry } from '../../src/verification/store';
import type { PollState } from '../../src/verification/types';
import type { DevicesView } from '../../src/verification/devices';
import type { HistoryEntry } from '../../src/records/history';
import { MAX_DEVICE_USERS } from '../../src/records/recentDevices';

const NOW = 1_700_000_000_000;
const time = (ms: number): string => `T+${(ms - NOW) / 1000}`;

let seq = 0;
function entry(state: Partial<PollState>, extra: Partial<VerificationEntry> = {}): VerificationEntry {
  const s: PollState = { phase: 'pending', userId: '42', verificationId: 'v-1', attempt: 1, expiresAt: NOW + 87_000, ...state };
  seq++;
  return { key: `${s.userId}/${s.verificationId}`, state: s, polling: true, source: 'poll', seq, updatedAt: NOW, ...extra };
}

function past(over: Partial<HistoryEntry>): HistoryEntry {
  const h: HistoryEntry = { key: '', userId: '42', verificationId: 'old-1', phase: 'accepted', startedAt: NOW - 60_000, endedAt: NOW - 30_000, attempts: 3, source: 'poll', ...over };
  h.key = `${h.userId}/${h.verificationId}`;
  return h;
}

function devices(userId: string, n = 2): DevicesView {
  return {
    userId,
    fetchedAt: NOW,
    devices: [
      { deviceId: `${userId}-d1`, label: 'My iPhone · OneLogin Protect', type: 'OneLogin Protect', isDefault: true, kind: 'push' as const },
      { deviceId: `${userId}-d2`, label: 'Google Authenticator', type: 'Google Authenticator', isDefault: false, kind: 'code' as const },
    ].slice(0, n),
    factors: [],
  };
}

const model = (entries: VerificationEntry[], history: HistoryEntry[] = [], dev: DevicesView[] = []): SidebarModel =>
  new SidebarModel({ entries, history, devices: dev }, { now: NOW, formatTime: time });

const section = (m: SidebarModel, id: string): SidebarRow => {
  const s = m.sections().find((r) => r.section === id);
  assert.ok(s, `section ${id}`);
  return s;
};

describe('sidebar model', () => {
  it('nothing at all: no sections (the view shows its welcome content)', () => {
    assert.deepEqual(model([]).sections(), []);
    assert.equal(isTicking([]), false);
  });

  it('Live: running polls only, with the state icon and the seconds left; the countdown ticks only then', () => {
    const m = model([entry({ verificationId: 'live-1', expiresAt: NOW + 86_200 }), entry({ verificationId: 'done-1', phase: 'accepted' }, { polling: false })]);
    assert.deepEqual(m.sections().map((s) => [s.label, s.description]), [['Live', '1']]);
    const [row, ...rest] = m.children(section(m, 'live'));
    assert.equal(rest.length, 0);
    assert.equal(row.label, 'live-1');
    assert.equal(row.icon, 'sync~spin');
    assert.equal(row.description, 'user 42 · pending · 87 s left');
    assert.equal(row.context, 'verification.live');
    assert.equal(row.id, 'live:42/live-1');
    assert.deepEqual([row.userId, row.verificationId], ['42', 'live-1']);
    assert.equal(isTicking([entry({})]), true);
    assert.equal(isTicking([entry({ phase: 'accepted' }, { polling: false })]), false);
  });

  it('Live: a factor that takes a code gets the .otp context (Enter OTP…); a retry is said', () => {
    const e = entry(
      { verificationId: 'code-1', retry: { reason: { kind: 'rateLimited', message: 'x' }, delayMs: 4000 } },
      { trigger: { deviceId: 'd9', deviceLabel: 'Authenticator', needsCode: true, deadlineSource: 'local', triggeredAt: NOW } },
    );
    const [row] = model([e]).children(section(model([e]), 'live'));
    assert.equal(row.context, 'verification.live.otp');
    assert.match(row.description ?? '', /retrying after rateLimited/);
    assert.equal(row.deviceId, 'd9');
    assert.match(row.tooltip ?? '', /Device: Authenticator/);
  });

  it('Recent: the history newest first, with outcome, time and icon; expired ones offer Enter OTP…', () => {
    const m = model([], [past({ verificationId: 'b', phase: 'expired' }), past({ verificationId: 'a', phase: 'accepted' }), past({ verificationId: 'c', phase: 'error', errorKind: 'auth' })]);
    const rows = m.children(section(m, 'recent'));
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.icon, r.context]),
      [
        ['b', 'user 42 · expired · T+-30', 'watch', 'verification.recent.otp'],
        ['a', 'user 42 · accepted · T+-30', 'pass-filled', 'verification.recent'],
        ['c', 'user 42 · error: auth · T+-30', 'warning', 'verification.recent'],
      ],
    );
    assert.equal(rows[1].iconColor, 'testing.iconPassed');
  });

  it('long ids are shortened in the label, whole in the tooltip', () => {
    const id = '406fefd4-8a36-4aee-880c-f3e4a928e27d';
    const m = model([], [past({ verificationId: id })]);
    const [row] = m.children(section(m, 'recent'));
    assert.equal(row.label, '406fefd4…');
    assert.equal(row.verificationId, id);
    assert.match(row.tooltip ?? '', new RegExp(id));
  });

  it('Devices: per user (newest first, the newest expanded), each device with its factor and the default mark', () => {
    const m = model([], [], [devices('7'), devices('42', 1)]);
    const users = m.children(section(m, 'devices'));
    assert.deepEqual(users.map((u) => [u.label, u.description, u.collapsible]), [['User 7', '2 devices', 'expanded'], ['User 42', '1 device', 'collapsed']]);
    const rows = m.children(users[0]);
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.icon, r.context, r.deviceId]),
      [
        ['My iPhone · OneLogin Protect', 'OneLogin Protect · default', 'device-mobile', 'device', '7-d1'],
        ['Google Authenticator', 'Google Authenticator · needs a code', 'key', 'device.code', '7-d2'],
      ],
    );
  });

  it('row ids are unique across the tree', () => {
    const m = model([entry({ verificationId: 'x' })], [past({ verificationId: 'x' })], [devices('42')]);
    const ids: string[] = [];
    const walk = (rows: SidebarRow[]): void => rows.forEach((r) => (ids.push(r.id), walk(r.collapsible ? m.children(r) : [])));
    walk(m.sections());
    assert.equal(new Set(ids).size, ids.length, ids.join(' '));
    assert.equal(ids.length, 3 + 1 + 1 + 1 + 2);
  });

  it('rows hold ids and words only, so a row can be a command argument', () => {
    const m = model([entry({})], [past({})], [devices('42')]);
    for (const s of m.sections()) for (const r of m.children(s)) assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    assert.deepEqual(rowIds({ userId: '42', verificationId: 'v-1', deviceId: 'd', label: 'x' }), { userId: '42', verificationId: 'v-1', deviceId: 'd' });
    assert.deepEqual(rowIds({ userId: '../x', verificationId: 7, deviceId: {} }), { verificationId: '7' }, 'what is not an id is dropped');
    assert.deepEqual(rowIds(undefined), {});
  });
});

describe('RecentDevices', () => {
  it('keeps the last listing per user, newest first, a few users at most; value is the newest', () => {
    const r = new RecentDevices();
    let fired = 0;
    r.onDidChange(() => fired++);
    assert.equal(r.all().length, 0, 'nothing listed yet');
    assert.deepEqual([r.value], [undefined]);
    for (let i = 0; i < MAX_DEVICE_USERS + 2; i++) r.record(devices(String(i)));
    r.record(devices('3'));
    assert.equal(r.value?.userId, '3');
    assert.deepEqual(r.all().map((v) => v.userId), ['3', '6', '5', '4', '2']);
    assert.equal(fired, MAX_DEVICE_USERS + 3);
  });
});
