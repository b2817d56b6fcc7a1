/**
 * activate() builds the app (app.ts: the vscode-free working parts) and puts the VS Code faces on it: the
 * status bar item, the panel, the sidebar, the commands, the body content provider. It does no I/O: the
 * API client is created on the first request, credentials are read from SecretStorage on first use.
 */
import * as vscode from 'vscode';
import { App } from './app';
import { SECTION, settingId } from './config';
import { COMMAND } from './commandIds';
import { DEFAULT_TENANT } from './connection/tenants';
import { registerCommands } from './commands';
import { DemoSession } from './demo/session';
import type { CommandContext } from './commands/context';
import { curlFor, exportExchangeLog } from './commands/exchanges';
import { clearHistory } from './commands/history';
import { enterOtpFromPanel } from './commands/otp';
import { triggerInteractive } from './commands/trigger';
import { BODY_SCHEME, ExchangeBodyProvider } from './panel/bodyProvider';
import { PANEL_COMMAND, registerPanelCommands } from './panel/commands';
import type { DevicesView, EntryView, GaugeView, HistoryEntry } from './panel/messages';
import { PANEL_VIEW_TYPE, PanelController } from './panel/panel';
import { entryView } from './panel/views';
import { HISTORY_KEY, parseHistory } from './records/history';
import { LOG_CHANNEL_NAME } from './records/log';
import { registerSidebarCommands } from './sidebar/commands';
import { trackCredentialsContext } from './sidebar/contextKeys';
import { SidebarTree, type SidebarItemView } from './sidebar/tree';
import { StatusBar } from './statusBar/item';
import type { StatusBarModel } from './statusBar/model';
import { stateKey } from './verification/types';

/** Context key: true while at least one poll runs (shows "Stop Polling" in the Command Palette). */
const POLLING_CONTEXT_KEY = 'onelogin-mfa.polling';

/**
 * Returned by activate() only when the extension runs under tests (ExtensionMode.Test): read-only views
 * of what the user sees, for assertions. It holds no secret and offers no way to reach one.
 */
export interface TestHooks {
  statusBar(): Pick<StatusBarModel, 'text' | 'tooltip' | 'background'> | undefined;
  entries(): EntryView[];
  panel(): { open: boolean; visible: boolean; posted: number };
  /** The history as the panel shows it. */
  history(): HistoryEntry[];
  /** The history read afresh from globalState: what the next start of the extension will load. */
  storedHistory(): HistoryEntry[];
  /** The rate-limit gauge. */
  rateLimit(): GaugeView | undefined;
  /** The last device listing. */
  devices(): DevicesView | undefined;
  /** The recorded exchanges (panel ids, redacted), oldest first. */
  exchanges(): { id: number; method: string; path: string; status?: number }[];
  /** "Copy as cURL" of one exchange, as it would be copied. */
  curl(exchangeId: number): Promise<string | undefined>;
  /** The sidebar tree as it shows now (sections, rows, children), and whether its countdown ticks. */
  sidebar(): { items: SidebarItemView[]; ticking: boolean; visible: boolean; hasCredentials: boolean | undefined };
}

let app: App | undefined;

export function activate(context: vscode.ExtensionContext): TestHooks | undefined {
  const subs = context.subscriptions;
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  subs.push(log);

  const core = new App({ settings: () => vscode.workspace.getConfiguration(SECTION), globalState: context.globalState, secrets: context.secrets, log });
  app = core;
  subs.push(core);
  const { store, exchanges, history, devices, tenants, credentials } = core;

  // The panel's and the sidebar's buttons run commands with `commands` (the context built below, after the panel it
  // holds); they are clicked only after activate() returns.
  /** The command context bound to the active tenant (buttons that are not about one verification). */
  const current = (): CommandContext => ({ ...commands, tenant: tenants.activeName() });
  /** The command context bound to the tenant of the verification a button acts on. */
  const forVerification = (userId: string, verificationId: string): CommandContext => {
    const entry = store.entries().find((e) => e.state.userId === userId && e.state.verificationId === verificationId);
    return { ...commands, tenant: entry?.state.tenant ?? DEFAULT_TENANT };
  };
  const rateLimitView = (): GaugeView | undefined => core.rateLimitView();

  const panel = new PanelController(context.extensionUri, store, exchanges, {
    stopPoll: (key) => {
      const entry = store.get(key);
      core.polls.stop(entry ? stateKey(entry.state) : key);
    },
    recheck: (userId, verificationId) =>
      void vscode.commands.executeCommand(COMMAND.checkVerification, { userId, verificationId, tenant: forVerification(userId, verificationId).tenant }),
    poll: (userId, verificationId) =>
      void vscode.commands.executeCommand(COMMAND.pollVerification, { userId, verificationId, tenant: forVerification(userId, verificationId).tenant, wait: false }),
    showLog: () => log.show(true),
    // The panel's button asks for the shell, as the editor-title button does.
    copyCurl: (view) => void vscode.commands.executeCommand(PANEL_COMMAND.copyCurl, { exchangeId: view.id }).then(undefined, (e: unknown) => log.error(`Copy as cURL: ${String(e)}`)),
    exportLog: (format) => void exportExchangeLog(current(), undefined, format),
    clearHistory: () => void clearHistory(current()),
    enterOtp: (userId, verificationId) => enterOtpFromPanel(forVerification(userId, verificationId), userId, verificationId),
    sendVerification: (userId, deviceId) => void triggerInteractive(current(), { userId, deviceId }),
  }, {
    rateLimit: rateLimitView,
    history: () => ({ enabled: history.enabled, entries: history.entries() }),
    devices: () => devices.value,
  });
  subs.push(panel);

  const statusBar = new StatusBar({ store, rateLimit: rateLimitView, activeTenant: () => (tenants.several() ? tenants.activeName() : undefined) });
  subs.push(statusBar);

  subs.push(
    core.onDidRecordExchange((recorded) => panel.onExchange(recorded)),
    core.onDidChangeRateLimit(() => {
      panel.onRateLimit();
      statusBar.render();
    }),
    tenants.onDidChange(() => statusBar.render()),
    history.onDidChange(() => panel.onHistory()),
    // Another window may have recorded verifications: globalState has no change event, so look on focus.
    vscode.window.onDidChangeWindowState((e) => {
      if (e.focused) history.refreshIfChanged();
    }),
    // Shows "Stop Polling" in the Command Palette while a poll runs.
    core.onDidChangePolling((polling) => void vscode.commands.executeCommand('setContext', POLLING_CONTEXT_KEY, polling)),
  );

  const demo = new DemoSession(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  subs.push(demo);
  const commands: CommandContext = { app: core, tenant: DEFAULT_TENANT, context, log, panel, demo };
  subs.push(...registerCommands(commands));

  // The sidebar: the same store as the status bar, plus the history and recent device listings.
  const sidebar = new SidebarTree({ store, history, devices });
  const credentialsContext = trackCredentialsContext(credentials, tenants, (e: unknown) => log.warn(`Could not read the credentials state: ${e instanceof Error ? e.message : String(e)}`));
  subs.push(
    sidebar,
    credentialsContext,
    ...registerSidebarCommands({
      enterOtp: (userId, verificationId) => enterOtpFromPanel(forVerification(userId, verificationId), userId, verificationId),
      sendVerification: (userId, deviceId) => void triggerInteractive(current(), { userId, deviceId }),
    }),
  );

  // The panel's editor-title commands: Copy as cURL (selected exchange, chosen shell), Re-check all.
  subs.push(
    ...registerPanelCommands({
      exchanges,
      store,
      selected: () => panel.selectedExchangeId,
      curl: (view, shell) => curlFor(current(), view, shell),
      globalState: context.globalState,
    }),
  );

  subs.push(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: (webviewPanel: vscode.WebviewPanel, state: unknown) => {
        panel.revive(webviewPanel, state);
        return Promise.resolve();
      },
    }),
    vscode.workspace.registerTextDocumentContentProvider(BODY_SCHEME, new ExchangeBodyProvider(exchanges)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const changed = core.applySettings((name) => e.affectsConfiguration(settingId(name)));
      if (changed.clients) {
        statusBar.render();
        credentialsContext.refresh(); // the active tenant may be another one now
      }
      changed.history?.then(
        () => panel.onHistory(),
        (err: unknown) => log.warn(`Could not apply the history setting: ${err instanceof Error ? err.message : String(err)}`),
      );
    }),
  );

  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    statusBar: () => {
      const m = statusBar.model;
      return m && { text: m.text, tooltip: m.tooltip, background: m.background };
    },
    entries: () => store.entries().map(entryView),
    panel: () => ({ open: panel.isOpen, visible: panel.isVisible, posted: panel.postedCount }),
    history: () => history.entries(),
    storedHistory: () => parseHistory(context.globalState.get<unknown>(HISTORY_KEY)),
    rateLimit: rateLimitView,
    devices: () => devices.value && (JSON.parse(JSON.stringify(devices.value)) as DevicesView),
    exchanges: () => exchanges.all().map((v) => ({ id: v.id, method: v.method, path: v.path, ...(v.status !== undefined ? { status: v.status } : {}) })),
    curl: async (id) => {
      const view = exchanges.view(id);
      return view ? curlFor(current(), view) : undefined;
    },
    sidebar: () => ({ items: sidebar.snapshot(), ticking: sidebar.ticking, visible: sidebar.view.visible, hasCredentials: credentialsContext.current }),
  };
}

export function deactivate(): void {
  // Stop every poll at once (their timers and requests), before the subscriptions are disposed.
  app?.polls.dispose();
  app = undefined;
}
