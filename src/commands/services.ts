/** Everything the command handlers use, wired once in extension.ts. */
import type * as vscode from 'vscode';
import type { ClientProvider } from '../clientProvider';
import type { Config } from '../config';
import type { PanelController } from '../panel/panel';
import type { CredentialStore } from '../secrets';
import type { PollManager } from '../verification/pollManager';
import type { VerificationStore } from '../verificationStore';

export interface Services {
  context: vscode.ExtensionContext;
  config: Config;
  credentials: CredentialStore;
  clients: ClientProvider;
  polls: PollManager;
  store: VerificationStore;
  panel: PanelController;
  log: vscode.LogOutputChannel;
}
