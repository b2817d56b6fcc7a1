/**
 * Tenants in the commands: which tenant a command works on (its `tenant` argument, else the active
 * one), the quick pick that asks when it matters, and "Switch Tenant". The active tenant is a name in
 * globalState, never a secret.
 */
import * as vscode from 'vscode';
import { OneLoginError, type ResultError, toResultError } from '../onelogin/errors';
import type { Tenant } from '../connection/tenants';
import type { CommandContext } from './context';

function argTenant(arg: unknown): { given: false } | { given: true; value: unknown } {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg) || !('tenant' in arg)) return { given: false };
  return { given: true, value: (arg as { tenant?: unknown }).tenant };
}

/**
 * The command context for one run, bound to its tenant. A `tenant` argument must name a configured
 * tenant; anything else is an error result, and nothing is sent.
 */
export function scopeToTenant(s: CommandContext, arg: unknown): { ok: true; context: CommandContext } | { ok: false; error: ResultError } {
  const t = argTenant(arg);
  if (!t.given || t.value === undefined) return { ok: true, context: { ...s, tenant: s.app.tenants.activeName() } };
  if (typeof t.value !== 'string') {
    return { ok: false, error: { kind: 'invalidInput', code: 'INVALID_ARGUMENT', message: vscode.l10n.t('tenant must be the name of a configured tenant.') } };
  }
  try {
    return { ok: true, context: { ...s, tenant: s.app.tenants.get(t.value.trim()).name } };
  } catch (e) {
    return { ok: false, error: toResultError(e) };
  }
}

/** Whether the command's argument object names its tenant (then nobody is asked which). */
export function namesTenant(arg: unknown): boolean {
  return argTenant(arg).given;
}

interface TenantItem extends vscode.QuickPickItem {
  tenant: Tenant;
}

/** Asks which tenant, the active one first. Undefined when cancelled. Only called with several tenants. */
export async function pickTenant(s: CommandContext, title: string): Promise<string | undefined> {
  const active = s.app.tenants.activeName();
  const { tenants } = s.app.tenants.list();
  const items: TenantItem[] = await Promise.all(
    [...tenants].sort((a, b) => Number(b.name === active) - Number(a.name === active)).map(async (tenant) => {
      const summary = await s.app.credentials.describe(tenant.name);
      const credentials =
        summary.kind === 'none'
          ? vscode.l10n.t('no credentials')
          : summary.kind === 'accessToken'
            ? vscode.l10n.t('access token {0}', summary.masked ?? '')
            : vscode.l10n.t('client credentials {0}', summary.masked ?? '');
      return {
        label: tenant.name,
        description: tenant.name === active ? `${tenant.baseUrl.origin} · ${vscode.l10n.t('active')}` : tenant.baseUrl.origin,
        detail: credentials,
        tenant,
      };
    }),
  );
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Which OneLogin tenant?'), ignoreFocusOut: true });
  return picked?.tenant.name;
}

export interface SwitchTenantResult {
  tenant?: string;
  baseUrl?: string;
  cancelled?: boolean;
  error?: ResultError;
}

/** `onelogin-mfa.switchTenant` — args `{ tenant }`, or a quick pick. Running polls keep their own tenant. */
export async function switchTenant(s: CommandContext, arg: unknown): Promise<SwitchTenantResult> {
  const given = argTenant(arg);
  let name: string | undefined;
  if (given.given) {
    if (typeof given.value !== 'string') throw new OneLoginError('invalidInput', vscode.l10n.t('tenant must be the name of a configured tenant.'), { code: 'INVALID_ARGUMENT' });
    name = given.value.trim();
  } else {
    name = await pickTenant(s, vscode.l10n.t('OneLogin MFA: Switch Tenant'));
    if (name === undefined) return { cancelled: true };
  }
  const tenant = await s.app.tenants.setActive(name);
  s.log.info(`Active tenant: ${tenant.name} (${tenant.baseUrl.origin}).`);
  vscode.window.setStatusBarMessage(vscode.l10n.t('OneLogin MFA: active tenant is now {0} ({1}).', tenant.name, tenant.baseUrl.origin), 4000);
  return { tenant: tenant.name, baseUrl: tenant.baseUrl.origin };
}
