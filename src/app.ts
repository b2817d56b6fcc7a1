/**
 * The extension's working parts wired together, without `vscode`: settings, tenants, credentials, one API
 * client per tenant, polls, the verification store, the exchange log, the rate-limit gauge and budgets, the
 * history and the push guard. extension.ts builds this and puts the VS Code faces on it (status bar, panel,
 * sidebar, commands); the benchmarks build the very same thing in plain Node, so what they measure is what
 * ships.
 *
 * Data flows one way: a poll -> its tenant's client -> HTTP. Back: every exchange -> log line, exchange log,
 * its tenant's budget, the gauge; every poll state -> store -> history.
 */
import { ClientProvider, type ClientFactory } from './connection/clientProvider';
import { CredentialStore, type CredentialsSummary, type SecretStore } from './connection/credentialStore';
import { DEFAULT_TENANT, Tenants, type TenantMemento } from './connection/tenants';
import { CLIENT_SETTINGS, Config, DEFAULT_BASE_URL, SETTING, type SettingName, type SettingsSource } from './config';
import type { Exchange } from './onelogin/exchange';
import { clientModule } from './onelogin/loadClient';
import { ExchangeLog, type RecordedExchange } from './records/exchangeLog';
import { HistoryStore, historyRecordFor, type HistoryStorage } from './records/history';
import { logExchange, type LogSink } from './records/log';
import { RateLimitGauge, withSlowdown, type GaugeView } from './records/rateLimit';
import { RecentDevices } from './records/recentDevices';
import { Disposable, Emitter } from './util/lifecycle';
import { RateBudgets } from './verification/budget';
import { PollManager } from './verification/pollManager';
import { VerificationStore, type VerificationEntry } from './verification/store';
import { settledByPolls, TriggerRegistry } from './verification/trigger';
import { isTerminal } from './verification/types';

/** What the app needs from its host: VS Code's in the extension, in-memory ones in the benchmarks. */
export interface AppHost {
  /** The `onelogin-mfa` settings, read afresh on every call. */
  settings: () => SettingsSource;
  /** Where the active tenant and the history are kept (globalState). */
  globalState: TenantMemento & HistoryStorage;
  /** Where credentials are kept (SecretStorage). */
  secrets: SecretStore;
  log: LogSink;
  /** Builds a tenant's API client; by default the real one, loaded on the first request. */
  createClient?: ClientFactory;
}

export class App extends Disposable {
  readonly config: Config;
  readonly tenants: Tenants;
  readonly credentials: CredentialStore;
  readonly clients: ClientProvider;
  readonly polls: PollManager;
  readonly store: VerificationStore;
  /** Every exchange, redacted, grouped by verification (the panel, Copy as cURL, the export). */
  readonly exchanges = new ExchangeLog();
  readonly gauge = new RateLimitGauge();
  /** One rate-limit budget per tenant: its client's responses feed it, its polls spend from it. */
  readonly budgets: RateBudgets;
  readonly history: HistoryStore;
  /** The last device listings. */
  readonly devices: RecentDevices;
  /** One pending push per user and device. */
  readonly triggers: TriggerRegistry;

  private readonly recorded = this.register(new Emitter<RecordedExchange>());
  /** An exchange was recorded (after its log line). */
  readonly onDidRecordExchange = this.recorded.event;
  private readonly rateLimitChanged = this.register(new Emitter<void>());
  /** The gauge shows other numbers. */
  readonly onDidChangeRateLimit = this.rateLimitChanged.event;
  private readonly pollingChanged = this.register(new Emitter<boolean>());
  /** Whether any poll runs changed. */
  readonly onDidChangePolling = this.pollingChanged.event;

  private polling = false;
  /** The last history signature per verification key: a store change that changes nothing recorded writes nothing. */
  private readonly historySignatures = new Map<string, string>();

  constructor(private readonly host: AppHost) {
    super();
    const config = (this.config = new Config(host.settings));
    this.tenants = this.register(new Tenants(() => config.tenantSettings(), host.globalState, DEFAULT_BASE_URL));
    this.credentials = this.register(new CredentialStore(host.secrets));
    this.store = this.register(new VerificationStore());
    this.history = this.register(new HistoryStore(host.globalState, () => config.historyMaxEntries()));
    this.devices = this.register(new RecentDevices());
    this.budgets = new RateBudgets(() => config.rateLimitMaxShare());

    const createClient = host.createClient ?? ((options) => new (clientModule().OneLoginClient)(options));
    this.clients = this.register(new ClientProvider(config, this.tenants, (tenant) => this.credentials.get(tenant), (ex) => this.onExchange(ex), createClient));

    // Each poll asks for its own tenant's client at every request: its host and credentials, whatever
    // tenant is active now. A tenant removed from the settings ends its polls with a message naming it.
    this.polls = new PollManager(
      (userId, verificationId, tenant = DEFAULT_TENANT) =>
        (signal) =>
          this.clients.get(tenant).getVerificationStatus(userId, verificationId, signal),
      () => config.pollTiming(),
      (req) => this.budgets.for(req.tenant ?? DEFAULT_TENANT),
    );
    // Stop every poll (its timer and request) before the store and the clients go.
    this.register({ dispose: () => this.polls.dispose() });

    // The registry does not know tenants: a poll of that verification in any tenant counts (running ones are listed first).
    this.triggers = new TriggerRegistry(
      settledByPolls((userId, verificationId) => this.polls.states().find((st) => st.userId === userId && st.verificationId === verificationId)?.phase),
    );

    this.register(this.polls.onDidChange((state) => this.store.updateFromPoll(state, !isTerminal(state.phase))));
    this.register(
      this.store.onDidChange((e) => {
        if (e) this.recordHistory(e);
        else this.store.entries().forEach((entry) => this.recordHistory(entry));
        const polling = this.store.anyPolling();
        if (polling !== this.polling) {
          this.polling = polling;
          this.pollingChanged.fire(polling);
        }
      }),
    );
    this.register(
      this.credentials.onDidChange((change) => {
        // Possibly from another window: drop that tenant's client (and its cached token) so the next call uses them.
        this.clients.reset(change.tenant);
        host.log.info(`Stored credentials of tenant ${change.tenant} changed (now: ${change.kind === 'none' ? 'none' : change.kind}).`);
      }),
    );
  }

  // Credentials are written through these: the tenant's client (and any token it cached) goes at once,
  // not only when SecretStorage reports the change, so the very next request uses the new credentials.
  async setAccessToken(accessToken: string, tenant: string): Promise<CredentialsSummary> {
    const summary = await this.credentials.setAccessToken(accessToken, tenant);
    this.clients.reset(tenant);
    return summary;
  }

  async setClientCredentials(clientId: string, clientSecret: string, tenant: string): Promise<CredentialsSummary> {
    const summary = await this.credentials.setClientCredentials(clientId, clientSecret, tenant);
    this.clients.reset(tenant);
    return summary;
  }

  async clearCredentials(tenant: string): Promise<void> {
    await this.credentials.clear(tenant);
    this.clients.reset(tenant);
  }

  /** The gauge as shown: the latest numbers, with the active tenant's budget slowdown. */
  rateLimitView(): GaugeView | undefined {
    return withSlowdown(this.gauge.view(), this.budgets.for(this.tenants.activeName()).view());
  }

  /**
   * Settings changed (`affects` tells which): clients are rebuilt on the next request when their settings
   * changed, and the history is cut to a new limit. Says what changed, for the views to follow.
   */
  applySettings(affects: (setting: SettingName) => boolean): { clients: boolean; history?: Promise<void> } {
    const clients = CLIENT_SETTINGS.some(affects);
    if (clients) {
      this.clients.reset();
      this.host.log.info('Settings changed: the API clients will be rebuilt on the next request.');
    }
    return { clients, ...(affects(SETTING.historyMaxEntries) ? { history: this.history.applyLimit() } : {}) };
  }

  private onExchange(ex: Exchange): void {
    logExchange(this.host.log, ex);
    this.recorded.fire(this.exchanges.add(ex));
    const parsed = Date.parse(ex.startedAt) + ex.durationMs;
    const observedAt = Number.isFinite(parsed) ? parsed : Date.now();
    this.budgets.for(ex.tenant ?? DEFAULT_TENANT).observe(ex.rateLimit, observedAt);
    if (this.gauge.update(ex.rateLimit, observedAt)) this.rateLimitChanged.fire();
  }

  /** Every verification that settles (or is checked once) goes into the history; no bodies, no secrets. */
  private recordHistory(e: VerificationEntry): void {
    const r = historyRecordFor(e);
    if (!r) return;
    const signature = `${r.phase}:${r.attempts}:${r.source}`;
    if (this.historySignatures.get(e.key) === signature) return;
    if (this.historySignatures.size > 1000) this.historySignatures.clear();
    this.historySignatures.set(e.key, signature);
    this.history.record(r).then(undefined, (err: unknown) => this.host.log.warn(`Could not save the history: ${err instanceof Error ? err.message : String(err)}`));
  }
}
