/**
 * The only module that touches secrets. Credentials live in VS Code's SecretStorage, one key per tenant,
 * each one JSON record, so switching from an access token to client credentials (or clearing) is atomic
 * and another window sees one change, not two. The "default" tenant keeps the key it always had.
 *
 * No runtime `vscode` import: `vscode.SecretStorage` satisfies `SecretStore`, and unit tests use a fake.
 * Nothing here logs, and nothing returned to a caller outside the client holds a secret: `describe()`
 * gives the masked form only.
 */
import type { Credentials } from '../onelogin/types';
import { maskSecret } from '../onelogin/redact';
import { Emitter, type IDisposable } from '../util/lifecycle';
import { DEFAULT_TENANT } from './tenants';

export const CREDENTIALS_KEY = 'onelogin-mfa.credentials';
const TENANT_KEY_PREFIX = `${CREDENTIALS_KEY}.tenant.`;

/** The SecretStorage key of a tenant's credentials. */
export function credentialsKey(tenant: string): string {
  return tenant === DEFAULT_TENANT ? CREDENTIALS_KEY : `${TENANT_KEY_PREFIX}${encodeURIComponent(tenant)}`;
}

/** The tenant a SecretStorage key belongs to, or undefined when it is not one of ours. */
export function tenantOfKey(key: string): string | undefined {
  if (key === CREDENTIALS_KEY) return DEFAULT_TENANT;
  if (!key.startsWith(TENANT_KEY_PREFIX)) return undefined;
  try {
    return decodeURIComponent(key.slice(TENANT_KEY_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** The subset of `vscode.SecretStorage` used here. */
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (e: { key: string }) => unknown): IDisposable;
}

/** What the UI may know about the stored credentials: their kind and a masked hint, never the value. */
export interface CredentialsSummary {
  kind: Credentials['kind'] | 'none';
  /** "••••" plus at most the last 4 characters (of the token, or of the client id). */
  masked?: string;
}

/** Rejects empty values and values with whitespace or control characters inside (a paste accident). */
export function secretProblem(label: string, value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  if (!v) return `The ${label} is empty.`;
  if ([...v].some((c) => /\s/.test(c) || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return `The ${label} contains spaces or control characters; paste it again without them.`;
  if (v.length > 4096) return `The ${label} is ${v.length} characters long; that is not a OneLogin ${label}.`;
  return undefined;
}

/** Parses the stored record; anything malformed reads as "no credentials". */
export function parseCredentials(raw: string | undefined): Credentials | undefined {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.kind === 'accessToken' && typeof v.accessToken === 'string' && v.accessToken) {
    return { kind: 'accessToken', accessToken: v.accessToken };
  }
  if (v.kind === 'clientCredentials' && typeof v.clientId === 'string' && v.clientId && typeof v.clientSecret === 'string' && v.clientSecret) {
    return { kind: 'clientCredentials', clientId: v.clientId, clientSecret: v.clientSecret };
  }
  return undefined;
}

export function summarize(credentials: Credentials | undefined): CredentialsSummary {
  if (!credentials) return { kind: 'none' };
  return credentials.kind === 'accessToken'
    ? { kind: 'accessToken', masked: maskSecret(credentials.accessToken) }
    : { kind: 'clientCredentials', masked: maskSecret(credentials.clientId) };
}

/** A change of one tenant's credentials: the tenant and the new summary (never the secret). */
export interface CredentialsChange extends CredentialsSummary {
  tenant: string;
}

export class CredentialStore implements IDisposable {
  /** Per tenant: the parsed record, read once until SecretStorage reports a change. */
  private readonly cache = new Map<string, Promise<Credentials | undefined>>();
  private readonly changed = new Emitter<CredentialsChange>();
  private readonly subscription: IDisposable;

  /** Fires when a tenant's credentials changed, here or in another window, with the new summary. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: SecretStore) {
    this.subscription = storage.onDidChange((e) => {
      const tenant = tenantOfKey(e.key);
      if (tenant === undefined) return;
      this.cache.delete(tenant);
      void this.get(tenant).then(
        (c) => this.changed.fire({ tenant, ...summarize(c) }),
        () => this.changed.fire({ tenant, kind: 'none' }),
      );
    });
  }

  /** A tenant's stored credentials (cached until SecretStorage reports a change). For its API client only. */
  get(tenant: string = DEFAULT_TENANT): Promise<Credentials | undefined> {
    let cached = this.cache.get(tenant);
    if (!cached) {
      cached = Promise.resolve(this.storage.get(credentialsKey(tenant))).then(parseCredentials, () => undefined);
      this.cache.set(tenant, cached);
    }
    return cached;
  }

  async describe(tenant: string = DEFAULT_TENANT): Promise<CredentialsSummary> {
    return summarize(await this.get(tenant));
  }

  async setAccessToken(accessToken: string, tenant: string = DEFAULT_TENANT): Promise<CredentialsSummary> {
    const token = accessToken.trim();
    const problem = secretProblem('access token', token);
    if (problem) throw new Error(problem);
    return this.write(tenant, { kind: 'accessToken', accessToken: token });
  }

  async setClientCredentials(clientId: string, clientSecret: string, tenant: string = DEFAULT_TENANT): Promise<CredentialsSummary> {
    const id = clientId.trim();
    const secret = clientSecret.trim();
    const problem = secretProblem('client id', id) ?? secretProblem('client secret', secret);
    if (problem) throw new Error(problem);
    return this.write(tenant, { kind: 'clientCredentials', clientId: id, clientSecret: secret });
  }

  async clear(tenant: string = DEFAULT_TENANT): Promise<void> {
    await this.storage.delete(credentialsKey(tenant));
    this.cache.set(tenant, Promise.resolve(undefined));
  }

  private async write(tenant: string, credentials: Credentials): Promise<CredentialsSummary> {
    await this.storage.store(credentialsKey(tenant), JSON.stringify(credentials));
    this.cache.set(tenant, Promise.resolve(credentials));
    return summarize(credentials);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
