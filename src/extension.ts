/**
 * Wires the parts together. activate() does no I/O: it creates objects and registers commands, the
 * status bar item, the panel serializer and the body content provider. The API client is created on
 * first use (ClientProvider), credentials are read from SecretStorage on first use.
 *
 * Data flows one way: command -> poll manager -> client -> HTTP; state flows back: poll event ->
 * store -> status bar + panel, and every exchange -> log channel + panel.
 */
import * as vscode from 'vscode';
import { ClientProvider } from './clientProvider';
import { CLIENT_SETTINGS, Config, SECTION, SETTING, settingId } from './config';
import { COMMAND } from './commands/model';
import { registerCommands } from './commands';
import type { Services } from './commands/services';
import { toDisposable } from './lifecycle';
import { LOG_CHANNEL_NAME, logExchange } from './log';
import { OneLoginClient } from './onelogin/client';
import { BODY_SCHEME, ExchangeBodyProvider } from './panel/bodyProvider';
import { PANEL_VIEW_TYPE, PanelController } from './panel/panel';
import { ExchangeLog, entryView } from './panel/viewModel';
import type { DevicesView, EntryView, GaugeView, HistoryEntry } from './panel/messages';
import { CredentialStore } from './secrets';
import { StatusBar } from './statusBar';
import type { StatusBarModel } from './statusBarModel';
import { PollManager, pollKey } from './verification/pollManager';
import { isTerminal } from './verification/types';
import { VerificationStore, type VerificationEntry } from './verificationStore';
import { clearHistory, copyCurl, curlFor, enterOtpFromPanel, exportExchangeLog, triggerInteractive } from './commands/workflow';
import { HISTORY_KEY, HistoryStore, historyRecordFor, parseHistory } from './workflow/history';
import { RateLimitGauge, withSlowdown } from './workflow/rateLimit';
import { RateBudgets } from './verification/budget';
import { settledByPolls, TriggerRegistry } from './workflow/trigger';

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
}

let services: Services | undefined;

export function activate(context: vscode.ExtensionContext): TestHooks | undefined {
  const subs = context.subscriptions;
  const log = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
  subs.push(log);

  const config = new Config(() => vscode.workspace.getConfiguration(SECTION));
  const credentials = new CredentialStore(context.secrets);
  const store = new VerificationStore();
  const exchanges = new ExchangeLog();
  const gauge = new RateLimitGauge();
  const history = new HistoryStore(context.globalState, () => config.historyMaxEntries());
  const devices: { value?: DevicesView } = {};
  subs.push(credentials, store, history);

  // One rate-limit budget per tenant (today one: the base URL's origin); every response feeds it.
  const budgets = new RateBudgets(() => config.rateLimitMaxShare());
  const tenantKey = (): string => {
    try {
      return config.baseUrl().origin;
    } catch {
      return 'default';
    }
  };
  const rateLimitView = (): GaugeView | undefined => withSlowdown(gauge.view(), budgets.for(tenantKey()).view());

  // The actions run on button clicks only, long after `polls` below is initialised.
  const panel = new PanelController(context.extensionUri, store, exchanges, {
    stopPoll: (key) => {
      const entry = store.get(key);
      polls.stop(entry ? pollKey(entry.state.userId, entry.state.verificationId) : key);
    },
    recheck: (userId, verificationId) => void vscode.commands.executeCommand(COMMAND.checkVerification, { userId, verificationId }),
    poll: (userId, verificationId) => void vscode.commands.executeCommand(COMMAND.pollVerification, { userId, verificationId, wait: false }),
    showLog: () => log.show(true),
    copyCurl: (view) => void copyCurl(services as Services, view).then(undefined, (e: unknown) => log.error(`Copy as cURL: ${String(e)}`)),
    exportLog: (format) => void exportExchangeLog(services as Services, undefined, format),
    clearHistory: () => void clearHistory(services as Services),
    enterOtp: (userId, verificationId) => enterOtpFromPanel(services as Services, userId, verificationId),
    sendVerification: (userId, deviceId) => void triggerInteractive(services as Services, { userId, deviceId }),
  }, {
    rateLimit: rateLimitView,
    history: () => ({ enabled: history.enabled, entries: history.entries() }),
    devices: () => devices.value,
  });
  subs.push(panel);

  const clients = new ClientProvider(
    config,
    () => credentials.get(),
    (ex) => {
      logExchange(log, ex);
      panel.onExchange(ex);
      const parsed = Date.parse(ex.startedAt) + ex.durationMs;
      const observedAt = Number.isFinite(parsed) ? parsed : Date.now();
      budgets.for(ex.origin).observe(ex.rateLimit, observedAt);
      if (gauge.update(ex.rateLimit, observedAt)) {
        panel.onRateLimit();
        statusBar.render();
      }
    },
    (options) => new OneLoginClient(options),
  );
  subs.push(clients);

  const polls = new PollManager(
    (userId, verificationId) => (signal) => clients.get().getVerificationStatus(userId, verificationId, signal),
    () => config.pollTiming(),
    () => budgets.for(tenantKey()),
  );
  subs.push(toDisposable(() => polls.dispose()));
  subs.push(polls.onDidChange((state) => store.updateFromPoll(state, !isTerminal(state.phase))));

  const statusBar = new StatusBar(store, rateLimitView);
  subs.push(statusBar);

  const triggers = new TriggerRegistry(settledByPolls((userId, verificationId) => polls.get(pollKey(userId, verificationId))?.state.phase));

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

  services = { context, config, credentials, clients, polls, store, panel, log, exchanges, history, gauge, triggers, devices };
  subs.push(...registerCommands(services));

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
        log.info('Settings changed: the API client will be rebuilt on the next request.');
      }
      if (e.affectsConfiguration(settingId(SETTING.historyMaxEntries))) {
        history.applyLimit().then(
          () => panel.onHistory(),
          (err: unknown) => log.warn(`Could not apply the history setting: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }),
    credentials.onDidChange((summary) => {
      // Possibly from another window: drop the client (and its cached token) so the next call uses them.
      clients.reset();
      log.info(`Stored credentials changed (now: ${summary.kind === 'none' ? 'none' : summary.kind}).`);
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
  };
}

export function deactivate(): void {
  // Stop every poll at once (their timers and requests), before the subscriptions are disposed.
  services?.polls.dispose();
  services = undefined;
}
