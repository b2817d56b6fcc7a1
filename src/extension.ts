/**
 * Wires the parts together. activate() does no I/O: it creates objects and registers commands, the
 * status bar item, the panel serializer and the body content provider. The API client is created on
 * first use (ClientProvider), credentials are read from SecretStorage on first use.
 *
 * Data flows one way: command -> poll manager -> client -> HTTP; state flows back: poll event ->
 * store -> status bar + panel, and every exchange -> log channel + panel.
 */
import * as vscode from 'vscode';
import { ClientProvider } from './connection/clientProvider';
import { CLIENT_SETTINGS, Config, DEFAULT_BASE_URL, SECTION, SETTING, settingId } from './config';
import { DEFAULT_TENANT, Tenants } from './connection/tenants';
import { registerCommands } from './commands';
import { DemoSession } from './commands/demo';
import type { Services } from './commands/services';
import { toDisposable } from './util/lifecycle';
import { LOG_CHANNEL_NAME, logExchange } from './records/log';
import { clientModule } from './onelogin/loadClient';
import { BODY_SCHEME, ExchangeBodyProvider } from './panel/bodyProvider';
import { PANEL_VIEW_TYPE, PanelController } from './panel/panel';
import { ExchangeLog, entryView } from './panel/viewModel';
import type { DevicesView, EntryView, GaugeView, HistoryEntry } from './panel/messages';
import { CredentialStore } from './connection/credentialStore';
import { StatusBar } from './statusBar/item';
import type { StatusBarModel } from './statusBar/model';
import { PollManager } from './verification/pollManager';
import { isTerminal, stateKey } from './verification/types';
import { VerificationStore, type VerificationEntry } from './verification/store';
import { curlFor, exportExchangeLog } from './commands/exchanges';
import { clearHistory } from './commands/history';
import { enterOtpFromPanel } from './commands/otp';
import { triggerInteractive } from './commands/trigger';
import { HISTORY_KEY, HistoryStore, historyRecordFor, parseHistory } from './records/history';
import { RateLimitGauge, withSlowdown } from './records/rateLimit';
import { RateBudgets } from './verification/budget';
import { settledByPolls, TriggerRegistry } from './verification/trigger';
import { registerSidebarCommands } from './sidebar/commands';
import { trackCredentialsContext } from './sidebar/contextKeys';
import { RecentDevices } from './sidebar/recentDevices';
import { SidebarTree, type SidebarItemView } from './sidebar/tree';
import { PANEL_COMMAND, registerPanelCommands } from './panel/commands';
import { COMMAND } from './commandIds';

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

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): TestHooks | undefined {
  const subs = context.subscriptions;
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  subs.push(log);

  const config = new Config(() => vscode.workspace.getConfiguration(SECTION));
  const tenants = new Tenants(() => config.tenantSettings(), context.globalState, DEFAULT_BASE_URL);
  const credentials = new CredentialStore(context.secrets);
  const store = new VerificationStore();
  const exchanges = new ExchangeLog();
  const gauge = new RateLimitGauge();
  const history = new HistoryStore(context.globalState, () => config.historyMaxEntries());
  // The last listing for the panel, and the last few for the sidebar.
  const devices = new RecentDevices();
  subs.push(tenants, credentials, store, history, devices);
  /** The services bound to the active tenant (panel buttons that are not about one verification). */
  const current = (): Services => ({ ...(services as Services), tenant: tenants.activeName() });
  /** The services bound to the tenant of the verification a panel button acts on. */
  const forVerification = (userId: string, verificationId: string): Services => {
    const entry = store.entries().find((e) => e.state.userId === userId && e.state.verificationId === verificationId);
    return { ...(services as Services), tenant: entry?.state.tenant ?? DEFAULT_TENANT };
  };

  // One rate-limit budget per tenant: every response of its client feeds it, its polls spend from it.
  const budgets = new RateBudgets(() => config.rateLimitMaxShare());
  const rateLimitView = (): GaugeView | undefined => withSlowdown(gauge.view(), budgets.for(tenants.activeName()).view());

  // The actions run on button clicks only, long after `polls` below is initialised.
  const panel = new PanelController(context.extensionUri, store, exchanges, {
    stopPoll: (key) => {
      const entry = store.get(key);
      polls.stop(entry ? stateKey(entry.state) : key);
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

  const clients = new ClientProvider(
    config,
    tenants,
    (tenant) => credentials.get(tenant),
    (ex) => {
      logExchange(log, ex);
      panel.onExchange(ex);
      const parsed = Date.parse(ex.startedAt) + ex.durationMs;
      const observedAt = Number.isFinite(parsed) ? parsed : Date.now();
      budgets.for(ex.tenant ?? DEFAULT_TENANT).observe(ex.rateLimit, observedAt);
      if (gauge.update(ex.rateLimit, observedAt)) {
        panel.onRateLimit();
        statusBar.render();
      }
    },
    (options) => new (clientModule().OneLoginClient)(options),
  );
  subs.push(clients);

  // Each poll asks for its own tenant's client at every request: its host and credentials, whatever
  // tenant is active now. A tenant removed from the settings ends its polls with a message naming it.
  const polls = new PollManager(
    (userId, verificationId, tenant = DEFAULT_TENANT) =>
      (signal) =>
        clients.get(tenant).getVerificationStatus(userId, verificationId, signal),
    () => config.pollTiming(),
    (req) => budgets.for(req.tenant ?? DEFAULT_TENANT),
  );
  subs.push(toDisposable(() => polls.dispose()));
  subs.push(polls.onDidChange((state) => store.updateFromPoll(state, !isTerminal(state.phase))));

  const statusBar = new StatusBar(store, rateLimitView, () => (tenants.several() ? tenants.activeName() : undefined));
  subs.push(tenants.onDidChange(() => statusBar.render()));
  subs.push(statusBar);

  // The registry does not know tenants: a poll of that verification in any tenant counts (running ones are listed first).
  const triggers = new TriggerRegistry(
    settledByPolls((userId, verificationId) => polls.states().find((st) => st.userId === userId && st.verificationId === verificationId)?.phase),
  );

  // History: every verification that settles (or is checked once) is recorded; no bodies, no secrets.
  const recorded = new Map<string, string>();
  const recordHistory = (e: VerificationEntry): void => {
    const r = historyRecordFor(e);
    if (!r) return;
    const signature = `${r.phase}:${r.attempts}:${r.source}`;
    if (recorded.get(e.key) === signature) return;
    if (recorded.size > 1000) recorded.clear();
    recorded.set(e.key, signature);
    history.record(r).then(undefined, (err: unknown) => log.warn(`Could not save the history: ${err instanceof Error ? err.message : String(err)}`));
  };
  subs.push(
    store.onDidChange((e) => (e ? recordHistory(e) : store.entries().forEach(recordHistory))),
    history.onDidChange(() => panel.onHistory()),
    // Another window may have recorded verifications: globalState has no change event, so look on focus.
    vscode.window.onDidChangeWindowState((e) => {
      if (e.focused) history.refreshIfChanged();
    }),
  );

  const demo = new DemoSession(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  subs.push(demo);
  services = { context, config, tenants, tenant: DEFAULT_TENANT, credentials, clients, polls, store, panel, log, exchanges, history, gauge, triggers, devices, demo };
  subs.push(...registerCommands(services));

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
      if (CLIENT_SETTINGS.some((name) => e.affectsConfiguration(settingId(name)))) {
        clients.reset();
        statusBar.render();
        credentialsContext.refresh(); // the active tenant may be another one now
        log.info('Settings changed: the API clients will be rebuilt on the next request.');
      }
      if (e.affectsConfiguration(settingId(SETTING.historyMaxEntries))) {
        history.applyLimit().then(
          () => panel.onHistory(),
          (err: unknown) => log.warn(`Could not apply the history setting: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }),
    credentials.onDidChange((change) => {
      // Possibly from another window: drop that tenant's client (and its cached token) so the next call uses them.
      clients.reset(change.tenant);
      log.info(`Stored credentials of tenant ${change.tenant} changed (now: ${change.kind === 'none' ? 'none' : change.kind}).`);
    }),
  );

  let polling = false;
  subs.push(
    store.onDidChange(() => {
      const now = store.anyPolling();
      if (now !== polling) {
        polling = now;
        void vscode.commands.executeCommand('setContext', POLLING_CONTEXT_KEY, now);
      }
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
      return view && services ? curlFor(services, view) : undefined;
    },
    sidebar: () => ({ items: sidebar.snapshot(), ticking: sidebar.ticking, visible: sidebar.view.visible, hasCredentials: credentialsContext.current }),
  };
}

export function deactivate(): void {
  // Stop every poll at once (their timers and requests), before the subscriptions are disposed.
  services?.polls.dispose();
  services = undefined;
}
