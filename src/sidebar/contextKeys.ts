/**
 * The context key the sidebar's welcome content and menus read: `onelogin-mfa.hasCredentials`. Read
 * once after activation (asynchronously: activate() itself does no I/O) and on every credentials change,
 * also from another window. Only whether credentials exist is published, never what they are.
 */
import * as vscode from 'vscode';
import type { IDisposable } from '../lifecycle';
import type { CredentialsSummary } from '../secrets';

export const HAS_CREDENTIALS_KEY = 'onelogin-mfa.hasCredentials';

export interface CredentialsSource {
  describe(): Promise<CredentialsSummary>;
  onDidChange(listener: (summary: CredentialsSummary) => void): IDisposable;
}

/** Publishes the key; `current` is the value last set (for the extension's test hook). */
export function trackCredentialsContext(credentials: CredentialsSource, onError: (e: unknown) => void): IDisposable & { readonly current: boolean | undefined } {
  let last: boolean | undefined;
  const set = (has: boolean): void => {
    if (has === last) return;
    last = has;
    void vscode.commands.executeCommand('setContext', HAS_CREDENTIALS_KEY, has);
  };
  void credentials.describe().then((s) => set(s.kind !== 'none'), onError);
  const sub = credentials.onDidChange((s) => set(s.kind !== 'none'));
  return {
    get current() {
      return last;
    },
    dispose: () => sub.dispose(),
  };
}
