/**
 * Smoke test of the real extension host: the extension under development is there, activates, registers
 * what its manifest contributes, and its credentials round-trip through VS Code's SecretStorage.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';

interface ManifestCommand {
  command: string;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

describe('extension host smoke', () => {
  it('runs in a real VS Code extension host with the extension under development', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const ext = extension();
    const manifest = ext.packageJSON as { name: string; publisher: string; main: string };
    assert.equal(`${manifest.publisher}.${manifest.name}`, EXTENSION_ID);
    assert.equal(ext.id, EXTENSION_ID);
    assert.equal(manifest.main, './dist/extension.js');
  });

  it('activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command its manifest contributes', async () => {
    const ext = extension();
    await ext.activate();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the manifest contributes no command');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('stores credentials in SecretStorage and reads them back', async function () {
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    if (!registered.has('onelogin-mfa.setAccessToken') || !registered.has('onelogin-mfa.clearCredentials')) this.skip();

    const token = `itest-${Date.now()}-ABCD1234`;
    const stored = await vscode.commands.executeCommand<{ stored: boolean; kind?: string }>('onelogin-mfa.setAccessToken', { accessToken: token });
    assert.deepEqual(stored, { stored: true, kind: 'accessToken' });
    assert.ok(!JSON.stringify(stored).includes(token), 'the command result must not carry the token');

    // SecretStorage reports the write (onDidChange), which makes the extension drop its cache: from then
    // on, "cleared: true" means the credentials were read back from the storage.
    await new Promise((r) => setTimeout(r, 300));
    const cleared = await vscode.commands.executeCommand<{ cleared: boolean }>('onelogin-mfa.clearCredentials');
    assert.deepEqual(cleared, { cleared: true });
    await new Promise((r) => setTimeout(r, 300));
    const again = await vscode.commands.executeCommand<{ cleared: boolean }>('onelogin-mfa.clearCredentials');
    assert.deepEqual(again, { cleared: false }, 'the credentials are still there after a clear');
  });
});
