/**
 * OneLogin tenants (accounts) side by side: a sandbox and production, a US and an EU account. Each has a
 * name and a base URL; credentials are stored per tenant (credentialStore.ts) and each tenant gets its own API
 * client (clientProvider.ts), so a token of one tenant is never sent to another tenant's host.
 *
 * Where tenants come from (user settings only, like the base URL: a workspace cannot choose hosts):
 *  - `onelogin-mfa.tenants`: a list of `{ "name", "baseUrl" }`;
 *  - `onelogin-mfa.baseUrl`: the one-tenant shortcut, the tenant named "default". It is listed when the
 *    tenants list is empty (the default setup) or when the user set the base URL explicitly.
 * The active tenant (what commands use when not told otherwise) is remembered in globalState (a name,
 * never a secret). Plain Node (no `vscode`): unit-tested with fakes.
 */
import { parseBaseUrl } from '../onelogin/baseUrl';
import { OneLoginError } from '../onelogin/errors';
import { Emitter, type IDisposable } from '../util/lifecycle';

export const DEFAULT_TENANT = 'default';
const ACTIVE_TENANT_KEY = 'onelogin-mfa.activeTenant';
/** Letters, digits, space, dot, dash, underscore; it names SecretStorage keys and verification keys ('/'-free). */
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/;

export interface Tenant {
  name: string;
  /** The validated origin (https, or http on loopback only). */
  baseUrl: URL;
}

/** A tenant entry the user wrote that cannot be used, and why (shown when someone asks for it). */
export interface TenantProblem {
  name?: string;
  message: string;
}

export interface TenantList {
  tenants: Tenant[];
  problems: TenantProblem[];
}

/** The settings this module reads: the user's values only (globalValue), or the defaults. */
export interface TenantSettings {
  /** `onelogin-mfa.baseUrl`, as `inspect()` reports it. */
  baseUrl: { globalValue?: unknown; defaultValue?: unknown } | undefined;
  /** `onelogin-mfa.tenants`, as `inspect()` reports it. */
  tenants: { globalValue?: unknown } | undefined;
}

/** Validates a tenant name given by a person or a caller. Returns the problem, or undefined when fine. */
export function tenantNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name.trim())) {
    return 'A tenant name is 1–40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.';
  }
  return undefined;
}

/** A base URL from a setting, validated; throws OneLoginError('invalidInput', INVALID_BASE_URL) naming the setting. */
export function baseUrlSetting(raw: unknown, setting: string): URL {
  if (typeof raw !== 'string') throw new OneLoginError('invalidInput', `The setting "${setting}" must be a string such as https://<subdomain>.onelogin.com.`, { code: 'INVALID_BASE_URL' });
  try {
    return parseBaseUrl(raw);
  } catch (e) {
    throw new OneLoginError('invalidInput', `The setting "${setting}" is invalid. ${e instanceof Error ? e.message : String(e)}`, { code: 'INVALID_BASE_URL' });
  }
}

/**
 * The tenants the user configured, in order (the "default" shortcut first), and the entries that cannot
 * be used. A default tenant whose base URL is invalid is a problem too, not a silent fallback.
 */
export function readTenants(settings: TenantSettings, defaultBaseUrl: string): TenantList {
  const tenants: Tenant[] = [];
  const problems: TenantProblem[] = [];
  const listed = Array.isArray(settings.tenants?.globalValue) ? (settings.tenants.globalValue as unknown[]) : [];
  if (settings.tenants?.globalValue !== undefined && !Array.isArray(settings.tenants.globalValue)) {
    problems.push({ message: 'The setting "onelogin-mfa.tenants" must be a list of { "name", "baseUrl" } objects.' });
  }
  const userBaseUrl = settings.baseUrl?.globalValue;
  if (listed.length === 0 || userBaseUrl !== undefined) {
    try {
      tenants.push({ name: DEFAULT_TENANT, baseUrl: baseUrlSetting(userBaseUrl ?? settings.baseUrl?.defaultValue ?? defaultBaseUrl, 'onelogin-mfa.baseUrl') });
    } catch (e) {
      problems.push({ name: DEFAULT_TENANT, message: (e as Error).message });
    }
  }
  listed.forEach((entry, i) => {
    const where = `onelogin-mfa.tenants[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ message: `The setting "${where}" must be an object with "name" and "baseUrl".` });
      return;
    }
    const { name, baseUrl } = entry as Record<string, unknown>;
    const nameProblem = tenantNameProblem(name);
    if (nameProblem) {
      problems.push({ message: `The setting "${where}": ${nameProblem}` });
      return;
    }
    const trimmed = (name as string).trim();
    if (tenants.some((t) => t.name === trimmed) || problems.some((p) => p.name === trimmed)) {
      problems.push({ name: trimmed, message: `The setting "${where}" repeats the tenant name "${trimmed}"; each name may appear once.` });
      return;
    }
    try {
      tenants.push({ name: trimmed, baseUrl: baseUrlSetting(baseUrl, `${where}.baseUrl`) });
    } catch (e) {
      problems.push({ name: trimmed, message: (e as Error).message });
    }
  });
  return { tenants, problems };
}

/** The subset of `vscode.Memento` used to remember the active tenant. */
export interface TenantMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * The configured tenants and the active one. Reads the settings each time (a settings change applies
 * at once). Runtime tenants (the demo) live only while this window runs, never in settings.
 * `onDidChange` fires when the active tenant is switched or a runtime tenant comes or goes.
 */
export class Tenants implements IDisposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly runtime = new Map<string, Tenant>();

  constructor(
    private readonly settings: () => TenantSettings,
    private readonly memento: TenantMemento,
    private readonly defaultBaseUrl: string,
  ) {}

  list(): TenantList {
    const list = readTenants(this.settings(), this.defaultBaseUrl);
    for (const t of this.runtime.values()) {
      if (!list.tenants.some((c) => c.name === t.name) && !list.problems.some((p) => p.name === t.name)) list.tenants.push(t);
    }
    return list;
  }

  /** Whether a tenant of that name is configured in the settings (a runtime tenant may not take it). */
  isConfigured(name: string): boolean {
    const { tenants, problems } = readTenants(this.settings(), this.defaultBaseUrl);
    return tenants.some((t) => t.name === name) || problems.some((p) => p.name === name);
  }

  /** Adds a tenant for this window's lifetime only (the demo tenant). */
  addRuntime(tenant: Tenant): void {
    this.runtime.set(tenant.name, tenant);
    this.changed.fire();
  }

  removeRuntime(name: string): void {
    if (this.runtime.delete(name)) this.changed.fire();
  }

  /** True when more than one tenant is configured: only then does the UI name tenants. */
  several(): boolean {
    const { tenants, problems } = this.list();
    return tenants.length + problems.filter((p) => p.name !== undefined).length > 1;
  }

  /** The name of the active tenant: the remembered one while it is configured, else the first one. */
  activeName(): string {
    const { tenants, problems } = this.list();
    const remembered = this.memento.get<unknown>(ACTIVE_TENANT_KEY);
    const names = [...tenants.map((t) => t.name), ...problems.flatMap((p) => (p.name ? [p.name] : []))];
    if (typeof remembered === 'string' && names.includes(remembered)) return remembered;
    return names[0] ?? DEFAULT_TENANT;
  }

  /**
   * The tenant of that name (default: the active one). Throws OneLoginError('invalidInput') naming the
   * setting to fix when it is not configured or its entry is invalid: nothing is sent anywhere then.
   */
  get(name?: string): Tenant {
    const wanted = name ?? this.activeName();
    const { tenants, problems } = this.list();
    const tenant = tenants.find((t) => t.name === wanted);
    if (tenant) return tenant;
    const problem = problems.find((p) => p.name === wanted);
    if (problem) throw new OneLoginError('invalidInput', problem.message, { code: 'INVALID_BASE_URL' });
    const known = tenants.map((t) => `"${t.name}"`).join(', ') || 'none';
    throw new OneLoginError('invalidInput', `There is no OneLogin tenant named "${wanted}" in the setting "onelogin-mfa.tenants" (configured: ${known}).`, {
      code: 'UNKNOWN_TENANT',
    });
  }

  async setActive(name: string): Promise<Tenant> {
    const tenant = this.get(name);
    await this.memento.update(ACTIVE_TENANT_KEY, tenant.name);
    this.changed.fire();
    return tenant;
  }

  dispose(): void {
    this.changed.dispose();
    this.runtime.clear();
  }
}
