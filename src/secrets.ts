/**
 * The only module that touches secrets. Credentials live in VS Code's SecretStorage under one key, as
 * one JSON record, so switching from an access token to client credentials (or clearing) is atomic and
 * another window sees one change, not two.
 *
 * No runtime `vscode` import: `vscode.SecretStorage` satisfies `SecretStore`, and unit tests use a fake.
 * Nothing here logs, and nothing returned to a caller outside the client holds a secret: `describe()`
 * gives the masked form only.
 */
import type { Credentials } from './onelogin/types';
import { maskSecret } from './onelogin/redact';
import { Emitter, type IDisposable } from './lifecycle';

export const CREDENTIALS_KEY = 'onelogin-mfa.credentials';

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

export class CredentialStore implements IDisposable {
  private cache: Promise<Credentials | undefined> | undefined;
  private readonly changed = new Emitter<CredentialsSummary>();
  private readonly subscription: IDisposable;

  /** Fires when the credentials changed, here or in another window, with the new summary. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: SecretStore) {
    this.subscription = storage.onDidChange((e) => {
      if (e.key !== CREDENTIALS_KEY) return;
      this.cache = undefined;
      void this.get().then(
        (c) => this.changed.fire(summarize(c)),
        () => this.changed.fire({ kind: 'none' }),
      );
    });
  }

  /** The stored credentials (cached until SecretStorage reports a change). For the API client only. */
  get(): Promise<Credentials | undefined> {
    this.cache ??= Promise.resolve(this.storage.get(CREDENTIALS_KEY)).then(parseCredentials, () => undefined);
    return this.cache;
  }

  async describe(): Promise<CredentialsSummary> {
    return summarize(await this.get());
  }

  async setAccessToken(accessToken: string): Promise<CredentialsSummary> {
    const token = accessToken.trim();
    const problem = secretProblem('access token', token);
    if (problem) throw new Error(problem);
    return this.write({ kind: 'accessToken', accessToken: token });
  }

  async setClientCredentials(clientId: string, clientSecret: string): Promise<CredentialsSummary> {
    const id = clientId.trim();
    const secret = clientSecret.trim();
    const problem = secretProblem('client id', id) ?? secretProblem('client secret', secret);
    if (problem) throw new Error(problem);
    return this.write({ kind: 'clientCredentials', clientId: id, clientSecret: secret });
  }

  async clear(): Promise<void> {
    await this.storage.delete(CREDENTIALS_KEY);
    this.cache = Promise.resolve(undefined);
  }

  private async write(credentials: Credentials): Promise<CredentialsSummary> {
    await this.storage.store(CREDENTIALS_KEY, JSON.stringify(credentials));
    this.cache = Promise.resolve(credentials);
    return summarize(credentials);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
