/**
 * The pre-flight check before anything is sent: the base URL setting is valid and credentials exist.
 * When interactive and no credentials are stored, it offers to set them instead of failing.
 */
import * as vscode from 'vscode';
import { toResultError, type ResultError } from '../onelogin/errors';
import { actionLabel, notifyError, runAction } from './notify';
import type { CommandContext } from './context';

const NO_CREDENTIALS_MESSAGE = (s?: Pick<CommandContext, 'tenant' | 'app'>): string =>
  s?.app.tenants.several()
    ? vscode.l10n.t('No OneLogin credentials are stored for tenant {0}. Set an access token, or API client credentials (client id and secret).', s.tenant)
    : vscode.l10n.t('No OneLogin credentials are stored. Set an access token, or API client credentials (client id and secret).');

/**
 * Checks, before anything is sent, that the base URL setting is valid and credentials exist. When
 * interactive and no credentials are stored, offers to set them (and continues if the user does).
 * Returns the problem, and whether the user was already told about it.
 */
async function preflight(s: CommandContext, interactive: boolean): Promise<{ error: ResultError; notified: boolean } | undefined> {
  try {
    s.app.clients.get(s.tenant);
  } catch (e) {
    return { error: toResultError(e), notified: false };
  }
  if (await s.app.credentials.get(s.tenant)) return undefined;
  const error: ResultError = { kind: 'invalidInput', code: 'NO_CREDENTIALS', message: NO_CREDENTIALS_MESSAGE(s) };
  if (!interactive) return { error, notified: false };
  const setToken = actionLabel('setAccessToken');
  const setClient = actionLabel('setClientCredentials');
  const choice = await vscode.window.showWarningMessage(NO_CREDENTIALS_MESSAGE(s), { modal: false }, setToken, setClient);
  if (choice === setToken) await runAction(s, 'setAccessToken');
  else if (choice === setClient) await runAction(s, 'setClientCredentials');
  return (await s.app.credentials.get(s.tenant)) ? undefined : { error, notified: true };
}

/**
 * What every command runs before it sends: the pre-flight, and the problem's notification unless the
 * offer to set credentials already told the user. Returns the error for the command's result, or
 * undefined when it may go on.
 */
export async function preflightError(s: CommandContext, interactive: boolean, what: string): Promise<ResultError | undefined> {
  const problem = await preflight(s, interactive);
  if (!problem) return undefined;
  if (!problem.notified) notifyError(s, what, problem.error);
  return problem.error;
}
