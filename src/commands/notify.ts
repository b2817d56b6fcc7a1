/**
 * Error notifications: one sentence (what failed, why, the request id) with the buttons that help
 * (set credentials, open the settings, check the ids, show the panel or the log).
 */
import * as vscode from 'vscode';
import { settingId, SETTING } from '../config';
import type { ResultError } from '../onelogin/errors';
import { actionsFor, type ErrorAction } from './errorActions';
import type { CommandContext } from './context';
import { COMMAND } from '../commandIds';

const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';

/** The label of an action's button (the pre-flight's offer uses the same words). */
export function actionLabel(action: ErrorAction): string {
  switch (action) {
    case 'setAccessToken':
      return vscode.l10n.t('Set Access Token');
    case 'setClientCredentials':
      return vscode.l10n.t('Set Client Credentials');
    case 'openSettings':
      return vscode.l10n.t('Open Settings');
    case 'checkIds':
      return vscode.l10n.t('Check the Ids');
    case 'showPanel':
      return vscode.l10n.t('Show Panel');
    case 'showLog':
      return vscode.l10n.t('Show Log');
  }
}

export async function runAction(s: CommandContext, action: ErrorAction, error?: Pick<ResultError, 'code'>): Promise<unknown> {
  switch (action) {
    case 'setAccessToken':
      return vscode.commands.executeCommand(COMMAND.setAccessToken, { tenant: s.tenant });
    case 'setClientCredentials':
      return vscode.commands.executeCommand(COMMAND.setClientCredentials, { tenant: s.tenant });
    case 'openSettings':
      return vscode.commands.executeCommand(
        'workbench.action.openSettings',
        error?.code === 'INVALID_BASE_URL' || error?.code === 'UNKNOWN_TENANT'
          ? s.app.tenants.several()
            ? settingId(SETTING.tenants)
            : settingId(SETTING.baseUrl)
          : `@ext:${EXTENSION_ID}`,
      );
    case 'checkIds':
      return vscode.commands.executeCommand(COMMAND.checkVerification);
    case 'showPanel':
      return s.panel.show();
    case 'showLog':
      return s.log.show(true);
  }
}

/** The error as one sentence for a notification: what failed, why, and the request id for support. */
export function errorText(what: string, error: ResultError): string {
  const parts = [`${what}: ${error.message}`];
  if (error.requestId && !error.message.includes(error.requestId)) parts.push(vscode.l10n.t('(x-request-id {0})', error.requestId));
  return parts.join(' ');
}

/** Shows the error with its action buttons; does not wait for the user (commands return at once). */
export function notifyError(s: CommandContext, what: string, error: ResultError): void {
  if (error.kind === 'cancelled') return;
  const actions = actionsFor(error);
  const labels = actions.map(actionLabel);
  void vscode.window.showErrorMessage(errorText(what, error), ...labels).then((choice) => {
    const i = choice === undefined ? -1 : labels.indexOf(choice);
    if (i >= 0) void runAction(s, actions[i], error).then(undefined, (e: unknown) => s.log.error(String(e)));
  });
}
