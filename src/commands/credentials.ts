/**
 * Set Access Token, Set API Client Credentials, Clear Credentials. Secrets go from the input box (or
 * the argument object) straight to SecretStorage; results and messages carry the kind of credential
 * only, and notifications the masked form ("••••" + last 4) at most.
 */
import * as vscode from 'vscode';
import { secretProblem } from '../secrets';
import type { ResultError } from './model';
import type { Services } from './services';

export interface CredentialsCommandResult {
  stored: boolean;
  kind?: 'accessToken' | 'clientCredentials';
  cancelled?: boolean;
  error?: ResultError;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

function invalidArgument(s: Services, message: string): CredentialsCommandResult {
  const error: ResultError = { kind: 'invalidInput', message, code: 'INVALID_ARGUMENT' };
  void vscode.window.showErrorMessage(message);
  s.log.warn(`Credentials not stored: ${message}`);
  return { stored: false, error };
}

/** `onelogin-mfa.setAccessToken` — args `{ accessToken }`, or a password input box. */
export async function setAccessToken(s: Services, arg: unknown): Promise<CredentialsCommandResult> {
  let token: string | undefined;
  if (isPlainObject(arg) && 'accessToken' in arg) {
    const v = typeof arg.accessToken === 'string' ? arg.accessToken : undefined;
    const problem = secretProblem(vscode.l10n.t('access token'), v);
    if (problem || v === undefined) return invalidArgument(s, problem ?? vscode.l10n.t('accessToken must be a string.'));
    token = v;
  } else {
    token = await vscode.window.showInputBox({
      title: vscode.l10n.t('OneLogin MFA: Set Access Token'),
      prompt: vscode.l10n.t('Paste a OneLogin API access token (scope "Manage All"). It is kept in VS Code\'s secret storage and replaces any stored client credentials.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => secretProblem(vscode.l10n.t('access token'), v),
    });
    if (token === undefined) return { stored: false, cancelled: true };
  }
  const summary = await s.credentials.setAccessToken(token);
  s.clients.reset();
  s.log.info('Access token stored in secret storage.');
  void vscode.window.showInformationMessage(vscode.l10n.t('OneLogin access token stored ({0}).', summary.masked ?? '••••'));
  return { stored: true, kind: 'accessToken' };
}

/** `onelogin-mfa.setClientCredentials` — args `{ clientId, clientSecret }`, or two input boxes. */
export async function setClientCredentials(s: Services, arg: unknown): Promise<CredentialsCommandResult> {
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  if (isPlainObject(arg) && ('clientId' in arg || 'clientSecret' in arg)) {
    const id = typeof arg.clientId === 'string' ? arg.clientId : undefined;
    const secret = typeof arg.clientSecret === 'string' ? arg.clientSecret : undefined;
    const problem = secretProblem(vscode.l10n.t('client id'), id) ?? secretProblem(vscode.l10n.t('client secret'), secret);
    if (problem || id === undefined || secret === undefined) return invalidArgument(s, problem ?? vscode.l10n.t('clientId and clientSecret must be strings.'));
    clientId = id;
    clientSecret = secret;
  } else {
    const title = vscode.l10n.t('OneLogin MFA: Set API Client Credentials');
    clientId = await vscode.window.showInputBox({
      title: `${title} (1/2)`,
      prompt: vscode.l10n.t('The client id of a OneLogin API credential with the "Manage All" scope (Administration > Developers > API Credentials).'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => secretProblem(vscode.l10n.t('client id'), v),
    });
    if (clientId === undefined) return { stored: false, cancelled: true };
    clientSecret = await vscode.window.showInputBox({
      title: `${title} (2/2)`,
      prompt: vscode.l10n.t('The client secret of the same API credential. The extension mints and refreshes access tokens with it.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => secretProblem(vscode.l10n.t('client secret'), v),
    });
    if (clientSecret === undefined) return { stored: false, cancelled: true };
  }
  const summary = await s.credentials.setClientCredentials(clientId, clientSecret);
  s.clients.reset();
  s.log.info('API client credentials stored in secret storage.');
  void vscode.window.showInformationMessage(
    vscode.l10n.t('OneLogin API client credentials stored (client id {0}). Access tokens will be minted as needed.', summary.masked ?? '••••'),
  );
  return { stored: true, kind: 'clientCredentials' };
}

/** `onelogin-mfa.clearCredentials`. */
export async function clearCredentials(s: Services): Promise<{ cleared: boolean }> {
  const had = (await s.credentials.get()) !== undefined;
  await s.credentials.clear();
  s.clients.reset();
  s.log.info('Credentials cleared from secret storage.');
  void vscode.window.showInformationMessage(
    had ? vscode.l10n.t('OneLogin credentials cleared.') : vscode.l10n.t('No OneLogin credentials were stored.'),
  );
  return { cleared: had };
}
