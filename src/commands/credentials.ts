/**
 * Set Access Token, Set API Client Credentials, Clear Credentials. Secrets go from the input box (or
 * the argument object) straight to SecretStorage; results and messages carry the kind of credential
 * only, and notifications the masked form ("••••" + last 4) at most.
 */
import * as vscode from 'vscode';
import { secretProblem } from '../connection/credentialStore';
import type { ResultError } from '../onelogin/errors';
import type { CommandContext } from './context';
import { namesTenant, pickTenant } from './tenant';
import { isPlainObject } from '../util/values';

export interface CredentialsCommandResult {
  stored: boolean;
  tenant?: string;
  kind?: 'accessToken' | 'clientCredentials';
  cancelled?: boolean;
  error?: ResultError;
}

/**
 * The tenant whose credentials a person is about to set or clear: asked when several tenants are
 * configured and the argument object did not name one. Undefined when cancelled.
 */
async function credentialsTenant(s: CommandContext, arg: unknown, title: string): Promise<string | undefined> {
  if (namesTenant(arg) || !s.app.tenants.several()) return s.tenant;
  return pickTenant(s, title);
}

/** " for tenant X" in messages, only when several tenants are configured. */
function forTenant(s: CommandContext, tenant: string): string {
  return s.app.tenants.several() ? vscode.l10n.t(' for tenant {0}', tenant) : '';
}

/** Results name the tenant only when several are configured (one tenant: nothing extra). */
function tenantField(s: CommandContext, tenant: string): { tenant?: string } {
  return s.app.tenants.several() ? { tenant } : {};
}

function invalidArgument(s: CommandContext, message: string): CredentialsCommandResult {
  const error: ResultError = { kind: 'invalidInput', message, code: 'INVALID_ARGUMENT' };
  void vscode.window.showErrorMessage(message);
  s.log.warn(`Credentials not stored: ${message}`);
  return { stored: false, error };
}

/** `onelogin-mfa.setAccessToken` — args `{ accessToken }`, or a password input box. */
export async function setAccessToken(s: CommandContext, arg: unknown): Promise<CredentialsCommandResult> {
  let token: string | undefined;
  const byArgument = isPlainObject(arg) && 'accessToken' in arg;
  const tenant = byArgument ? s.tenant : await credentialsTenant(s, arg, vscode.l10n.t('OneLogin MFA: Set Access Token'));
  if (tenant === undefined) return { stored: false, cancelled: true };
  if (isPlainObject(arg) && 'accessToken' in arg) {
    const v = typeof arg.accessToken === 'string' ? arg.accessToken : undefined;
    const problem = secretProblem(vscode.l10n.t('access token'), v);
    if (problem || v === undefined) return invalidArgument(s, problem ?? vscode.l10n.t('accessToken must be a string.'));
    token = v;
  } else {
    token = await vscode.window.showInputBox({
      title: vscode.l10n.t('OneLogin MFA: Set Access Token') + forTenant(s, tenant),
      prompt: vscode.l10n.t('Paste a OneLogin API access token (scope "Manage All"). It is kept in VS Code\'s secret storage and replaces any stored client credentials.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => secretProblem(vscode.l10n.t('access token'), v),
    });
    if (token === undefined) return { stored: false, cancelled: true };
  }
  const summary = await s.app.setAccessToken(token, tenant);
  s.log.info(`Access token stored in secret storage (tenant ${tenant}).`);
  void vscode.window.showInformationMessage(vscode.l10n.t('OneLogin access token stored ({0}){1}.', summary.masked ?? '••••', forTenant(s, tenant)));
  return { stored: true, kind: 'accessToken', ...tenantField(s, tenant) };
}

/** `onelogin-mfa.setClientCredentials` — args `{ clientId, clientSecret }`, or two input boxes. */
export async function setClientCredentials(s: CommandContext, arg: unknown): Promise<CredentialsCommandResult> {
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  const byArgument = isPlainObject(arg) && ('clientId' in arg || 'clientSecret' in arg);
  const tenant = byArgument ? s.tenant : await credentialsTenant(s, arg, vscode.l10n.t('OneLogin MFA: Set API Client Credentials'));
  if (tenant === undefined) return { stored: false, cancelled: true };
  if (isPlainObject(arg) && ('clientId' in arg || 'clientSecret' in arg)) {
    const id = typeof arg.clientId === 'string' ? arg.clientId : undefined;
    const secret = typeof arg.clientSecret === 'string' ? arg.clientSecret : undefined;
    const problem = secretProblem(vscode.l10n.t('client id'), id) ?? secretProblem(vscode.l10n.t('client secret'), secret);
    if (problem || id === undefined || secret === undefined) return invalidArgument(s, problem ?? vscode.l10n.t('clientId and clientSecret must be strings.'));
    clientId = id;
    clientSecret = secret;
  } else {
    const title = vscode.l10n.t('OneLogin MFA: Set API Client Credentials') + forTenant(s, tenant);
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
  const summary = await s.app.setClientCredentials(clientId, clientSecret, tenant);
  s.log.info(`API client credentials stored in secret storage (tenant ${tenant}).`);
  void vscode.window.showInformationMessage(
    vscode.l10n.t('OneLogin API client credentials stored (client id {0}){1}. Access tokens will be minted as needed.', summary.masked ?? '••••', forTenant(s, tenant)),
  );
  return { stored: true, kind: 'clientCredentials', ...tenantField(s, tenant) };
}

/** `onelogin-mfa.clearCredentials`. */
export async function clearCredentials(s: CommandContext, arg?: unknown): Promise<{ cleared: boolean; tenant?: string; cancelled?: boolean }> {
  const tenant = await credentialsTenant(s, arg, vscode.l10n.t('OneLogin MFA: Clear Credentials'));
  if (tenant === undefined) return { cleared: false, cancelled: true };
  const had = (await s.app.credentials.get(tenant)) !== undefined;
  await s.app.clearCredentials(tenant);
  s.log.info(`Credentials cleared from secret storage (tenant ${tenant}).`);
  void vscode.window.showInformationMessage(
    had ? vscode.l10n.t('OneLogin credentials cleared{0}.', forTenant(s, tenant)) : vscode.l10n.t('No OneLogin credentials were stored{0}.', forTenant(s, tenant)),
  );
  return { cleared: had, ...tenantField(s, tenant) };
}
