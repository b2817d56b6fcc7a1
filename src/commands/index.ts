/**
 * Registers every command. Each handler is wrapped so that it never throws to its caller: an
 * unexpected failure is logged (without secrets: only the error's name and message) and shown, and
 * the caller gets a plain error result.
 */
import * as vscode from 'vscode';
import { toResultError } from '../onelogin/errors';
import { clearCredentials, setAccessToken, setClientCredentials } from './credentials';
import { checkVerification, pollVerification, stopPolling } from './verification';
import { listDevices } from './devices';
import { exportExchangeLog } from './exchanges';
import { clearHistory } from './history';
import { verifyOtp } from './otp';
import { triggerVerification } from './trigger';
import type { CommandContext } from './context';
import { scopeToTenant, switchTenant } from './tenant';
import { startDemo, stopDemo } from './demo';
import { COMMAND } from '../commandIds';

/** A command handler, given the command context bound to the tenant it works on. */
type Handler = (s: CommandContext, arg: unknown) => unknown;

function safe(base: CommandContext, id: string, handler: Handler): (arg: unknown) => Promise<unknown> {
  return async (arg: unknown) => {
    const s = base;
    try {
      const scoped = id === COMMAND.switchTenant ? { ok: true as const, context: base } : scopeToTenant(base, arg);
      if (!scoped.ok) {
        void vscode.window.showErrorMessage(vscode.l10n.t('OneLogin MFA: {0}', scoped.error.message));
        return { state: 'error', error: scoped.error };
      }
      return await handler(scoped.context, arg);
    } catch (e) {
      s.log.error(`${id} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      const error = toResultError(e);
      void vscode.window.showErrorMessage(vscode.l10n.t('OneLogin MFA: {0}', error.message));
      return { state: 'error', error };
    }
  };
}

export function registerCommands(s: CommandContext): vscode.Disposable[] {
  const handlers: Record<string, Handler> = {
    [COMMAND.setAccessToken]: setAccessToken,
    [COMMAND.setClientCredentials]: setClientCredentials,
    [COMMAND.clearCredentials]: clearCredentials,
    [COMMAND.checkVerification]: checkVerification,
    [COMMAND.pollVerification]: pollVerification,
    [COMMAND.stopPolling]: stopPolling,
    [COMMAND.showPanel]: (t) => {
      t.panel.show();
      return { visible: true };
    },
    [COMMAND.showLog]: (t) => {
      t.log.show(true);
      return { shown: true };
    },
    [COMMAND.triggerVerification]: triggerVerification,
    [COMMAND.verifyOtp]: verifyOtp,
    [COMMAND.listDevices]: listDevices,
    [COMMAND.exportLog]: exportExchangeLog,
    [COMMAND.clearHistory]: clearHistory,
    [COMMAND.switchTenant]: switchTenant,
    [COMMAND.startDemo]: startDemo,
    [COMMAND.stopDemo]: stopDemo,
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, safe(s, id, handler)));
}
