/**
 * The sidebar view (`onelogin-mfa.verifications`) inside a real VS Code extension host, against the
 * OneLogin simulator: the credentials context key behind its welcome content, Live rows with a
 * countdown that ticks only while something is live, Recent rows from the history in globalState,
 * Devices from List Devices, and the item actions run with the rows the menus hand over.
 * Asserted on the tree's items through the test hooks activate() returns in test mode.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import type { SidebarItemView } from '../../src/sidebar/tree';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { hooks as activate, run, SECTION, until } from './helpers';

const TOKEN = 'itest-sidebar-token-0123456789';

function section(h: TestHooks, label: string): SidebarItemView | undefined {
  return h.sidebar().items.find((s) => s.label === label);
}

function rowOf(h: TestHooks, label: string, id: string): SidebarItemView | undefined {
  return section(h, label)?.children?.find((r) => r.id === id);
}

describe('sidebar: the verifications view (real extension host + simulator)', function () {
  this.timeout(40_000);
  let sim: Simulator;
  let h: TestHooks;

  before(async function () {
    h = await activate();
    sim = await startSimulator({ accessTokens: [TOKEN] });
    const config = vscode.workspace.getConfiguration(SECTION);
    await config.update('baseUrl', sim.url, vscode.ConfigurationTarget.Global);
    await config.update('pollInterval', 1, vscode.ConfigurationTarget.Global);
    await config.update('history.maxEntries', 50, vscode.ConfigurationTarget.Global);
    await until('the base URL setting', () => vscode.workspace.getConfiguration(SECTION).get('baseUrl') === sim.url);
  });

  after(async function () {
    await run('onelogin-mfa.stopPolling');
    const config = vscode.workspace.getConfiguration(SECTION);
    for (const key of ['baseUrl', 'pollInterval', 'history.maxEntries']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await run('onelogin-mfa.clearCredentials');
    await sim?.close();
  });

  it('is a real TreeView in the Activity Bar container, and its welcome content follows the credentials', async () => {
    await vscode.commands.executeCommand('onelogin-mfa.verifications.focus');
    await until('the view to be visible', () => h.sidebar().visible);
    await run('onelogin-mfa.clearCredentials');
    await until('hasCredentials false', () => h.sidebar().hasCredentials === false);
    await run('onelogin-mfa.setAccessToken', { accessToken: TOKEN });
    await until('hasCredentials true', () => h.sidebar().hasCredentials === true);
    assert.ok(!JSON.stringify(h.sidebar()).includes(TOKEN), 'no secret in the tree');
  });

  it('Live: a running poll with its countdown (ticking), then Stop from its row moves it to Recent and the ticker stops', async () => {
    sim.addUser('3001');
    const id = sim.addVerification('3001', {});
    await run('onelogin-mfa.pollVerification', { userId: '3001', verificationId: id, wait: false });
    const rowId = `live:3001/${id}`;
    await until('the Live row', () => rowOf(h, 'Live', rowId) !== undefined);
    const first = rowOf(h, 'Live', rowId);
    assert.match(first?.description ?? '', /^user 3001 · (pending|idle) · \d+ s left$/);
    assert.equal(first?.icon, first?.description?.includes('pending') ? 'sync~spin' : 'circle-large-outline');
    assert.equal(first?.contextValue, 'verification.live');
    assert.equal(h.sidebar().ticking, true, 'a 1 s ticker runs while something is live');
    const secondsOf = (): number => Number(/(\d+) s left/.exec(rowOf(h, 'Live', rowId)?.description ?? '')?.[1] ?? NaN);
    const before = secondsOf();
    await until('the countdown to move', () => secondsOf() < before, 5000);

    // What the inline Stop button does: the sidebar command with the row as its argument.
    const row = { id: rowId, userId: '3001', verificationId: id, label: id, context: 'verification.live' };
    await run('onelogin-mfa.sidebar.stop', row);
    await until('the Live section to go', () => section(h, 'Live') === undefined);
    assert.equal(h.sidebar().ticking, false, 'no ticker once nothing is live');
    await until('the Recent row', () => rowOf(h, 'Recent', `recent:3001/${id}`) !== undefined);
    assert.match(rowOf(h, 'Recent', `recent:3001/${id}`)?.description ?? '', /^user 3001 · stopped · /);
  });

  it('Recent: newest first, from the history in globalState; Re-check and Poll from a row reach the API', async () => {
    sim.addUser('3002');
    const id = sim.addVerification('3002', { settle: { to: 'accepted', afterPolls: 2 } });
    const gets = (): number => sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/2/mfa/users/3002/verifications/${id}`).length;
    const row = { userId: '3002', verificationId: id };
    await run('onelogin-mfa.sidebar.recheck', row);
    assert.equal(gets(), 1, 'one status request');
    await until('the checked verification in Recent', () => rowOf(h, 'Recent', `recent:3002/${id}`) !== undefined);
    assert.match(rowOf(h, 'Recent', `recent:3002/${id}`)?.description ?? '', /pending \(checked once\)/);
    assert.equal(rowOf(h, 'Recent', `recent:3002/${id}`)?.contextValue, 'verification.recent.otp');

    await run('onelogin-mfa.sidebar.poll', row);
    await until('accepted in Recent', () => /accepted/.test(rowOf(h, 'Recent', `recent:3002/${id}`)?.description ?? ''), 15_000);
    const recent = section(h, 'Recent')?.children ?? [];
    assert.equal(recent[0]?.id, `recent:3002/${id}`, 'newest first');
    assert.equal(recent[0]?.icon, 'pass-filled');
    // The same list the next window start loads from globalState.
    const stored = (): string => h.storedHistory().map((e) => `recent:${e.key}`).join(' ');
    await until(() => `globalState ${stored()} to match ${recent.map((r) => r.id).join(' ')}`, () => stored() === recent.map((r) => r.id).join(' '));
  });

  it('Devices: List Devices adds the user with each device, its factor and the default mark; Copy Id copies', async () => {
    sim.addUser('3003');
    await run('onelogin-mfa.listDevices', { userId: '3003' });
    await until('the Devices section', () => section(h, 'Devices')?.children?.some((u) => u.id === 'user:3003') === true);
    const user = section(h, 'Devices')?.children?.find((u) => u.id === 'user:3003');
    const rows = user?.children ?? [];
    assert.ok(rows.length >= 2, JSON.stringify(rows));
    assert.match(rows[0].description ?? '', /OneLogin Protect · default/);
    assert.equal(rows[0].contextValue, 'device');
    assert.ok(rows.slice(1).some((r) => /Voice/.test(`${r.label} ${r.description ?? ''}`)), JSON.stringify(rows));

    const deviceId = rows[0].id.split('/')[1];
    const copied = await run<{ copied: string }>('onelogin-mfa.sidebar.copyId', { userId: '3003', deviceId });
    assert.equal(copied.copied, deviceId);
    assert.equal(await vscode.env.clipboard.readText(), deviceId);
  });

  it('item actions ignore arguments that are not ids', async () => {
    const before = sim.requests.length;
    assert.equal(await run('onelogin-mfa.sidebar.recheck', { userId: '../../x', verificationId: 'v' }), undefined);
    assert.equal(await run('onelogin-mfa.sidebar.copyId', 'not a row'), undefined);
    assert.equal(sim.requests.length, before, 'nothing was sent');
  });
});
