/**
 * The panel's editor-title commands inside a real VS Code extension host, against the simulator:
 * Copy as cURL for each shell (the selected exchange, else the newest; the shell from the argument
 * object) and Re-check all (one status request per verification that is not being polled).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestHooks } from '../../src/extension';
import { startSimulator, type Simulator } from '../mock-onelogin/server';
import { hooks as activate, run, SECTION, until } from './helpers';

const TOKEN = 'itest-panelcmd-token-0123456789';

describe('panel commands: Copy as cURL per shell, Re-check all (real extension host + simulator)', function () {
  this.timeout(30_000);
  let sim: Simulator;
  let h: TestHooks;

  before(async function () {
    h = await activate();
    sim = await startSimulator({ accessTokens: [TOKEN] });
    await vscode.workspace.getConfiguration(SECTION).update('baseUrl', sim.url, vscode.ConfigurationTarget.Global);
    await until('the base URL setting', () => vscode.workspace.getConfiguration(SECTION).get('baseUrl') === sim.url);
    await run('onelogin-mfa.setAccessToken', { accessToken: TOKEN });
  });

  after(async function () {
    await vscode.workspace.getConfiguration(SECTION).update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await run('onelogin-mfa.clearCredentials');
    await sim?.close();
  });

  it('Copy as cURL: POSIX, PowerShell and cmd of one exchange; the newest one by default; never the token', async () => {
    const id = sim.addVerification('4001', {});
    await run('onelogin-mfa.checkVerification', { userId: '4001', verificationId: id });
    const ex = h.exchanges().filter((x) => x.path.endsWith(`/verifications/${id}`)).at(-1);
    assert.ok(ex, 'the status request was recorded');

    const copy = async (arg: unknown): Promise<string> => {
      const r = await run<{ copied: boolean; exchangeId?: number; shell?: string }>('onelogin-mfa.copyCurl', arg);
      assert.equal(r.copied, true, JSON.stringify(r));
      return vscode.env.clipboard.readText();
    };
    const posix = await copy({ exchangeId: ex.id, shell: 'posix' });
    assert.match(posix, new RegExp(`^curl '${sim.url}/api/2/mfa/users/4001/verifications/${id}' -X GET .*-H 'Authorization: Bearer <access_token>'`));
    const ps = await copy({ exchangeId: ex.id, shell: 'powershell' });
    assert.match(ps, /^curl\.exe '.+' -X GET .*-H 'Authorization: Bearer <access_token>'/);
    const cmd = await copy({ exchangeId: ex.id, shell: 'cmd' });
    assert.match(cmd, /^curl \^"http.+\^" -X GET .*-H \^"Authorization: Bearer \^<access_token\^>\^"/);
    for (const text of [posix, ps, cmd]) assert.ok(!text.includes(TOKEN), 'no secret');

    const newest = await run<{ exchangeId: number }>('onelogin-mfa.copyCurl', { shell: 'posix' });
    assert.equal(newest.exchangeId, h.exchanges().at(-1)?.id);
    const bad = await run<{ copied: boolean; error?: { code: string } }>('onelogin-mfa.copyCurl', { shell: 'fish' });
    assert.deepEqual([bad.copied, bad.error?.code], [false, 'INVALID_ARGUMENT']);
  });

  it('Re-check all: one GET per verification not being polled, none for a running poll', async () => {
    await run('onelogin-mfa.stopPolling');
    const a = sim.addVerification('4002', {});
    const b = sim.addVerification('4002', {});
    const live = sim.addVerification('4003', {});
    await run('onelogin-mfa.checkVerification', { userId: '4002', verificationId: a });
    await run('onelogin-mfa.checkVerification', { userId: '4002', verificationId: b });
    await run('onelogin-mfa.pollVerification', { userId: '4003', verificationId: live, wait: false });
    await until('the poll to run', () => h.entries().some((e) => e.verificationId === live && e.polling));
    const gets = (user: string, v: string): number => sim.requests.filter((r) => r.method === 'GET' && r.path === `/api/2/mfa/users/${user}/verifications/${v}`).length;
    const before = [gets('4002', a), gets('4002', b)];
    const idle = h.entries().filter((e) => !e.polling).length;
    const r = await run<{ checked: number; skipped: number }>('onelogin-mfa.recheckAll');
    assert.equal(r.checked + r.skipped, idle);
    assert.deepEqual([gets('4002', a), gets('4002', b)], [before[0] + 1, before[1] + 1]);
    await run('onelogin-mfa.stopPolling');
  });
});
