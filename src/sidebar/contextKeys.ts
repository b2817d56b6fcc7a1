/**
 * The context key the sidebar's welcome content and menus read: `onelogin-mfa.hasCredentials`, for the
 * active tenant. Read once after activation (asynchronously: activate() itself does no I/O), on every
 * credentials change (also from another window) and when the active tenant changes. Only whether
 * credentials exist is published, never what they are.
 */
import * as vscode from 'vscode';
import type { IDisposable } from '../util/lifecycle';
import type { CredentialsSummary } from '../connection/credentialStore';

const HAS_CREDENTIALS_KEY = 'onelogin-mfa.hasCredentials';

export interface CredentialsSource {
  describe(tenant: string): Promise<CredentialsSummary>;
  onDidChange(listener: (change: CredentialsSummary & { tenant: string }) => void): IDisposable;
}

/** The active tenant's name, and when it (or the list of tenants) changes. */
export interface ActiveTenantSource {
  activeName(): string;
  onDidChange(listener: () => void): IDisposable;
}

/** Publishes the key; `current` is the value last set (for the extension's test hook). */
export function trackCredentialsContext(
  credentials: CredentialsSource,
  tenants: ActiveTenantSource,
  onError: (e: unknown) => void,
): IDisposable & { readonly current: boolean | undefined; refresh(): void } {
  let last: boolean | undefined;
  const set = (has: boolean): void => {
    if (has === last) return;
    last = has;
    void vscode.commands.executeCommand('setContext', HAS_CREDENTIALS_KEY, has);
  };
  // Reads for the tenant active now; a slower earlier read never overwrites a newer one.
  let reads = 0;
  const refresh = (): void => {
    const read = ++reads;
    void credentials.describe(tenants.activeName()).then((s) => read === reads && set(s.kind !== 'none'), onError);
  };
  // The first read right after activation, not inside activate(): a SecretStorage read is a round trip.
  const first = setTimeout(refresh, 0);
  const subs = [credentials.onDidChange(refresh), tenants.onDidChange(refresh)];
  return {
    get current() {
      return last;
    },
    refresh,
    dispose: () => {
      clearTimeout(first);
      subs.forEach((d) => d.dispose());
    },
  };
}
