/**
 * "Try the Demo Tenant" and "Stop the Demo Tenant": the local OneLogin simulator inside the extension
 * host, on 127.0.0.1 and a free port, added as a tenant named "demo" (for this window only) with its own
 * fresh token, and a few verifications that settle by themselves. The simulator is its own bundle
 * (dist/demo.js), loaded on the first start: nothing of it loads or listens before.
 */
import * as vscode from 'vscode';
import { OneLoginError } from '../onelogin/errors';
import { stateKey } from '../verification/types';
import type { CommandContext } from './context';
import { promptOtp } from './otp';
import { COMMAND } from '../commandIds';

const DEMO_TENANT = 'demo';
/** Context key: true while the demo runs (shows "Stop the Demo Tenant" in the Command Palette). */
const DEMO_RUNNING_CONTEXT_KEY = 'onelogin-mfa.demoRunning';

export interface StartDemoResult {
  tenant: string;
  baseUrl: string;
  userId: string;
  verifications: { id: string; behaviour: string }[];
  /** The code the demo's authenticator verification accepts (a demo value, not a secret). */
  otp: string;
}

/** `onelogin-mfa.startDemo`. */
export async function startDemo(s: CommandContext): Promise<StartDemoResult> {
  if (s.app.tenants.isConfigured(DEMO_TENANT)) {
    throw new OneLoginError('invalidInput', vscode.l10n.t('A tenant named "{0}" is already in your settings; rename it to try the demo tenant.', DEMO_TENANT), {
      code: 'DEMO_NAME_TAKEN',
    });
  }
  const server = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: starting the demo tenant…') }, () =>
    s.demo.start(),
  );
  const baseUrl = new URL(server.url);
  s.app.tenants.addRuntime({ name: DEMO_TENANT, baseUrl });
  await s.app.setAccessToken(server.token, DEMO_TENANT);
  await s.app.tenants.setActive(DEMO_TENANT);
  s.log.info(`Demo tenant started at ${baseUrl.origin} (user ${server.userId}).`);
  void vscode.commands.executeCommand('setContext', DEMO_RUNNING_CONTEXT_KEY, true);

  // Something real to watch at once: every demo verification is polled; the authenticator one waits for a code.
  for (const v of server.verifications) {
    if (v.behaviour === 'otp') {
      s.app.store.annotate(server.userId, v.id, { deviceId: '9003', deviceLabel: 'Authenticator app · Google Authenticator', needsCode: true, deadlineSource: 'local', triggeredAt: Date.now() }, DEMO_TENANT);
    }
    await vscode.commands.executeCommand(COMMAND.pollVerification, { tenant: DEMO_TENANT, userId: server.userId, verificationId: v.id, wait: false });
  }

  const panel = vscode.l10n.t('Show Panel');
  const otp = vscode.l10n.t('Enter OTP…');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t(
        'Demo tenant running on {0}: verification demo-accepted is accepted in a few seconds, demo-rejected is rejected, and demo-otp waits for the code {1}. "Send Verification…" to user {2} works too.',
        baseUrl.origin,
        server.otp,
        server.userId,
      ),
      panel,
      otp,
    )
    .then((choice) => {
      if (choice === panel) s.panel.show();
      else if (choice === otp) void promptOtp({ ...s, tenant: DEMO_TENANT }, { userId: server.userId, verificationId: 'demo-otp', deviceId: '9003' });
    });
  return { tenant: DEMO_TENANT, baseUrl: baseUrl.origin, userId: server.userId, verifications: server.verifications.map((v) => ({ ...v })), otp: server.otp };
}

/** `onelogin-mfa.stopDemo`: its polls stop, the server closes, the tenant and its token go. */
export async function stopDemo(s: CommandContext): Promise<{ stopped: boolean }> {
  for (const state of s.app.polls.states()) if (state.tenant === DEMO_TENANT) s.app.polls.stop(stateKey(state));
  const stopped = await s.demo.stop();
  s.app.tenants.removeRuntime(DEMO_TENANT);
  await s.app.clearCredentials(DEMO_TENANT);
  void vscode.commands.executeCommand('setContext', DEMO_RUNNING_CONTEXT_KEY, false);
  if (stopped) {
    s.log.info('Demo tenant stopped.');
    vscode.window.setStatusBarMessage(vscode.l10n.t('OneLogin MFA: demo tenant stopped.'), 4000);
  }
  return { stopped };
}
