/** Everything the command handlers use, wired once in extension.ts. */
import type * as vscode from 'vscode';
import type { ClientProvider } from '../connection/clientProvider';
import type { Config } from '../config';
import type { PanelController } from '../panel/panel';
import type { CredentialStore } from '../connection/credentialStore';
import type { PollManager } from '../verification/pollManager';
import type { VerificationStore } from '../verification/store';
import type { ExchangeLog } from '../records/exchangeLog';
import type { DevicesView } from '../verification/devices';
import type { HistoryStore } from '../records/history';
import type { RateLimitGauge } from '../records/rateLimit';
import type { TriggerRegistry } from '../verification/trigger';
import type { Tenants } from '../connection/tenants';
import type { DemoSession } from '../demo/session';

export interface Services {
  context: vscode.ExtensionContext;
  config: Config;
  tenants: Tenants;
  /**
   * The tenant this command works on: its `tenant` argument, else the active tenant. Fixed when the
   * command starts, so a poll it starts keeps that tenant's host and credentials to the end.
   */
  tenant: string;
  credentials: CredentialStore;
  clients: ClientProvider;
  polls: PollManager;
  store: VerificationStore;
  panel: PanelController;
  log: vscode.LogOutputChannel;
  /** The panel's exchange log (redacted views), for "Copy as cURL" and export. */
  exchanges: ExchangeLog;
  history: HistoryStore;
  gauge: RateLimitGauge;
  /** One pending push per user and device. */
  triggers: TriggerRegistry;
  /** The last device listing, shown in the panel. */
  devices: { value?: DevicesView };
  /** The demo tenant's server, while it runs. */
  demo: DemoSession;
}
