/**
 * What every command handler gets: the app (app.ts: settings, tenants, credentials, clients, polls, the
 * store and the records), the tenant the command works on, and the few VS Code parts a command shows
 * things in. Built once in extension.ts; `tenant` is fixed per call by the command table (index.ts).
 */
import type * as vscode from 'vscode';
import type { App } from '../app';
import type { DemoSession } from '../demo/session';
import type { PanelController } from '../panel/panel';

export interface CommandContext {
  app: App;
  /**
   * The tenant this command works on: its `tenant` argument, else the active tenant. Fixed when the
   * command starts, so a poll it starts keeps that tenant's host and credentials to the end.
   */
  tenant: string;
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  panel: PanelController;
  /** The demo tenant's server, while it runs. */
  demo: DemoSession;
}
