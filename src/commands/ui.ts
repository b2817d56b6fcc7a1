/**
 * The interactive pieces shared by the commands: error notifications with actionable buttons, the id
 * prompts (remembering the last ids, which are not secrets, in globalState), and the pre-flight check
 * that offers to set credentials instead of failing.
 */
import * as vscode from 'vscode';
import { settingId, SETTING } from '../config';
import { idProblem, validateUserId, validateVerificationId } from '../onelogin/ids';
import { toResultError, type ResultError } from '../onelogin/errors';
import { actionsFor, type ErrorAction } from './errorActions';
import type { Services } from './services';
import { COMMAND } from '../commandIds';

const LAST_IDS_KEY = 'onelogin-mfa.lastIds';
const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';

export interface Ids {
  userId: string;
  verificationId: string;
}

export function lastIds(s: Services): Partial<Ids> {
  const v = s.context.globalState.get<unknown>(LAST_IDS_KEY);
  if (typeof v !== 'object' || v === null) return {};
  const r = v as Record<string, unknown>;
  return {
    userId: typeof r.userId === 'string' ? r.userId : undefined,
    verificationId: typeof r.verificationId === 'string' ? r.verificationId : undefined,
  };
}

export async function rememberIds(s: Services, ids: Ids): Promise<void> {
  await s.context.globalState.update(LAST_IDS_KEY, { userId: ids.userId, verificationId: ids.verificationId });
}

/** Asks for the user id only (prefilled with the last one). Undefined when cancelled. */
export async function askUserId(s: Services, title: string): Promise<string | undefined> {
  const userId = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The OneLogin user id (digits, as in the admin portal URL).'),
    placeHolder: vscode.l10n.t('e.g. 3919988'),
    value: lastIds(s).userId,
    ignoreFocusOut: true,
    validateInput: (v) => idProblem(validateUserId, v),
  });
  return userId === undefined ? undefined : validateUserId(userId);
}

/** Remembers the user id, keeping the last verification id. */
export async function rememberUserId(s: Services, userId: string): Promise<void> {
  const last = lastIds(s);
  await s.context.globalState.update(LAST_IDS_KEY, { userId, verificationId: last.verificationId });
}

/** Asks for the user id and the verification id (prefilled with the last ones). Undefined when cancelled. */
export async function askIds(s: Services, title: string): Promise<Ids | undefined> {
  const last = lastIds(s);
  const userId = await vscode.window.showInputBox({
    title: `${title} (1/2)`,
    prompt: vscode.l10n.t('The OneLogin user id (digits, as in the admin portal URL).'),
    placeHolder: vscode.l10n.t('e.g. 3919988'),
    value: last.userId,
    ignoreFocusOut: true,
    validateInput: (v) => idProblem(validateUserId, v),
  });
  if (userId === undefined) return undefined;
  const verificationId = await vscode.window.showInputBox({
    title: `${title} (2/2)`,
    prompt: vscode.l10n.t('The verification id returned when the push or call was triggered.'),
    placeHolder: vscode.l10n.t('e.g. 406fefd4-8a36-4aee-880c-f3e4a928e27d'),
    value: last.verificationId,
    ignoreFocusOut: true,
    validateInput: (v) => idProblem(validateVerificationId, v),
  });
  if (verificationId === undefined) return undefined;
  return { userId: validateUserId(userId), verificationId: validateVerificationId(verificationId) };
}

function actionLabel(action: ErrorAction): string {
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

export async function runAction(s: Services, action: ErrorAction, error?: Pick<ResultError, 'code'>): Promise<unknown> {
  switch (action) {
    case 'setAccessToken':
      return vscode.commands.executeCommand(COMMAND.setAccessToken, { tenant: s.tenant });
    case 'setClientCredentials':
      return vscode.commands.executeCommand(COMMAND.setClientCredentials, { tenant: s.tenant });
    case 'openSettings':
      return vscode.commands.executeCommand(
        'workbench.action.openSettings',
        error?.code === 'INVALID_BASE_URL' || error?.code === 'UNKNOWN_TENANT'
          ? s.tenants.several()
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
export function notifyError(s: Services, what: string, error: ResultError): void {
  if (error.kind === 'cancelled') return;
  const actions = actionsFor(error);
  const labels = actions.map(actionLabel);
  void vscode.window.showErrorMessage(errorText(what, error), ...labels).then((choice) => {
    const i = choice === undefined ? -1 : labels.indexOf(choice);
    if (i >= 0) void runAction(s, actions[i], error).then(undefined, (e: unknown) => s.log.error(String(e)));
  });
}

export const NO_CREDENTIALS_MESSAGE = (s?: Pick<Services, 'tenant' | 'tenants'>): string =>
  s?.tenants.several()
    ? vscode.l10n.t('No OneLogin credentials are stored for tenant {0}. Set an access token, or API client credentials (client id and secret).', s.tenant)
    : vscode.l10n.t('No OneLogin credentials are stored. Set an access token, or API client credentials (client id and secret).');

/**
 * Checks, before anything is sent, that the base URL setting is valid and credentials exist. When
 * interactive and no credentials are stored, offers to set them (and continues if the user does).
 * Returns the problem, and whether the user was already told about it.
 */
export async function preflight(s: Services, interactive: boolean): Promise<{ error: ResultError; notified: boolean } | undefined> {
  try {
    s.clients.get(s.tenant);
  } catch (e) {
    return { error: toResultError(e), notified: false };
  }
  if (await s.credentials.get(s.tenant)) return undefined;
  const error: ResultError = { kind: 'invalidInput', code: 'NO_CREDENTIALS', message: NO_CREDENTIALS_MESSAGE(s) };
  if (!interactive) return { error, notified: false };
  const setToken = actionLabel('setAccessToken');
  const setClient = actionLabel('setClientCredentials');
  const choice = await vscode.window.showWarningMessage(NO_CREDENTIALS_MESSAGE(s), { modal: false }, setToken, setClient);
  if (choice === setToken) await vscode.commands.executeCommand(COMMAND.setAccessToken, { tenant: s.tenant });
  else if (choice === setClient) await vscode.commands.executeCommand(COMMAND.setClientCredentials, { tenant: s.tenant });
  return (await s.credentials.get(s.tenant)) ? undefined : { error, notified: true };
}

