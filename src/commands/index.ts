/**
 * Registers every command. Each handler is wrapped so that it never throws to its caller: an
 * unexpected failure is logged (without secrets: only the error's name and message) and shown, and
 * the caller gets a plain error result.
 */
import * as vscode from 'vscode';
import { COMMAND, toResultError } from './model';
import { clearCredentials, setAccessToken, setClientCredentials } from './credentials';
import { checkVerification, pollVerification, stopPolling } from './verification';
import { clearHistory, exportExchangeLog, listDevices, triggerVerification, verifyOtp } from './workflow';
import type { Services } from './services';

type Handler = (arg: unknown) => unknown;

function safe(s: Services, id: string, handler: Handler): Handler {
  return async (arg: unknown) => {
    try {
      return await handler(arg);
    } catch (e) {
      s.log.error(`${id} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      const error = toResultError(e);
      void vscode.window.showErrorMessage(vscode.l10n.t('OneLogin MFA: {0}', error.message));
      return { state: 'error', error };
    }
  };
}

export function registerCommands(s: Services): vscode.Disposable[] {
  const handlers: Record<string, Handler> = {
    [COMMAND.setAccessToken]: (arg) => setAccessToken(s, arg),
    [COMMAND.setClientCredentials]: (arg) => setClientCredentials(s, arg),
    [COMMAND.clearCredentials]: () => clearCredentials(s),
    [COMMAND.checkVerification]: (arg) => checkVerification(s, arg),
    [COMMAND.pollVerification]: (arg) => pollVerification(s, arg),
    [COMMAND.stopPolling]: (arg) => stopPolling(s, arg),
    [COMMAND.showPanel]: () => {
      s.panel.show();
      return { visible: true };
    },
    [COMMAND.showLog]: () => {
      s.log.show(true);
      return { shown: true };
    },
    [COMMAND.triggerVerification]: (arg) => triggerVerification(s, arg),
    [COMMAND.verifyOtp]: (arg) => verifyOtp(s, arg),
    [COMMAND.listDevices]: (arg) => listDevices(s, arg),
    [COMMAND.exportLog]: (arg) => exportExchangeLog(s, arg),
    [COMMAND.clearHistory]: () => clearHistory(s),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, safe(s, id, handler)));
}
