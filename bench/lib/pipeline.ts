/**
 * The extension's host-side data path, wired as src/extension.ts wires it, in plain Node (compiled from
 * src/, the same code the bundle holds) minus the VS Code API calls themselves:
 *   OneLoginClient -> onExchange: log line (to a no-op sink), ExchangeLog.add (the panel's view of the
 *   exchange), rate-limit gauge -> status bar model;
 *   PollManager -> VerificationStore.updateFromPoll -> status bar model (statusBarModel over all entries,
 *   as StatusBar.render does), the panel's entryView, the "polling" context key, the history record;
 *   with `maxShare`, the rate-limit budget guard too: every exchange feeds its tenant's budget, and every
 *   poll spends from it and asks it for its interval (as extension.ts wires RateBudgets).
 * Used by the scale and soak benchmarks, so "CPU per poll" is what the extension host spends, not just the
 * client; they run without the guard (their simulators' budgets are sized so it would not slow them). The
 * budget benchmark runs with it.
 */
import { formatMessage } from '../../src/util/l10n';
import { logExchange, type LogSink } from '../../src/records/log';
import { OneLoginClient } from '../../src/onelogin/client';
import { entryView } from '../../src/panel/views';
import { ExchangeLog } from '../../src/records/exchangeLog';
import { RenderScheduler } from '../../src/util/renderScheduler';
import { statusBarModel } from '../../src/statusBar/model';
import { DEFAULT_TENANT } from '../../src/connection/tenants';
import { RateBudgets } from '../../src/verification/budget';
import { PollManager } from '../../src/verification/pollManager';
import { isTerminal, type VerificationStatusResult } from '../../src/verification/types';
import { VerificationStore, type VerificationEntry } from '../../src/verification/store';
import { historyRecordFor, HistoryStore } from '../../src/records/history';
import { gaugeText, RateLimitGauge, withSlowdown } from '../../src/records/rateLimit';

export type Check = (signal: AbortSignal) => Promise<VerificationStatusResult>;

export interface PipelineOptions {
  baseUrl: string;
  token: string;
  intervalMs: number;
  timeoutMs: number;
  /** Wraps each poll's check (to time when requests are really sent). */
  wrapCheck?: (key: string, check: Check) => Check;
  /** Wire the rate-limit budget guard with this share (the `rateLimit.maxShare` setting); none: no guard. */
  maxShare?: number;
}

export interface Pipeline {
  client: OneLoginClient;
  polls: PollManager;
  store: VerificationStore;
  exchanges: ExchangeLog;
  /** The budget guard's budgets, when `maxShare` was given. */
  budgets?: RateBudgets;
  counters: { exchanges: number; storeChanges: number; statusBarRenders: number };
  dispose(): void;
}

const nullSink: LogSink = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** An in-memory Memento, as globalState is in the extension host. */
function memento(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const data = new Map<string, unknown>();
  return {
    get: <T>(key: string) => data.get(key) as T | undefined,
    update: (key: string, value: unknown) => {
      data.set(key, JSON.parse(JSON.stringify(value)) as unknown); // what a Memento stores: JSON
      return Promise.resolve();
    },
  };
}

export function createPipeline(o: PipelineOptions): Pipeline {
  const counters = { exchanges: 0, storeChanges: 0, statusBarRenders: 0 };
  const store = new VerificationStore();
  const exchanges = new ExchangeLog();
  const gauge = new RateLimitGauge();
  const history = new HistoryStore(memento(), () => 50);
  const budgets = o.maxShare === undefined ? undefined : new RateBudgets(() => o.maxShare ?? 0.5);
  let statusText = '';
  // StatusBar re-renders once a second while a countdown shows (its one owned interval).
  let ticker: ReturnType<typeof setInterval> | undefined;

  const renderStatusBar = (): void => {
    const now = Date.now();
    // As extension.ts's rateLimitView: the gauge, with the guard's slowdown when it is wired.
    const g = budgets ? withSlowdown(gauge.view(), budgets.for(DEFAULT_TENANT).view()) : gauge.view();
    const model = statusBarModel(store.entries(), { now, t: formatMessage, rateLimitLine: g && gaugeText(g, now, formatMessage) });
    statusText = model.text;
    counters.statusBarRenders++;
    if (model.ticking && ticker === undefined) ticker = setInterval(renderStatusBar, 1000);
    else if (!model.ticking && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  // As shipped: StatusBar coalesces its renders (RenderScheduler), the context key follows each change.
  const statusBarRenders = new RenderScheduler(renderStatusBar);
  const requestRender = (): void => statusBarRenders.request();

  const client = new OneLoginClient({
    baseUrl: o.baseUrl,
    getCredentials: () => Promise.resolve({ kind: 'accessToken', accessToken: o.token }),
    onExchange: (ex) => {
      counters.exchanges++;
      logExchange(nullSink, ex);
      exchanges.add(ex);
      const parsed = Date.parse(ex.startedAt) + ex.durationMs;
      const observedAt = Number.isFinite(parsed) ? parsed : Date.now();
      budgets?.for(ex.tenant ?? DEFAULT_TENANT).observe(ex.rateLimit, observedAt);
      if (gauge.update(ex.rateLimit, observedAt)) requestRender();
    },
  });

  const polls = new PollManager(
    (userId, verificationId) => {
      const check: Check = (signal) => client.getVerificationStatus(userId, verificationId, signal);
      return o.wrapCheck ? o.wrapCheck(`${userId}/${verificationId}`, check) : check;
    },
    () => ({ intervalMs: o.intervalMs, timeoutMs: o.timeoutMs }),
    budgets && ((req) => budgets.for(req.tenant ?? DEFAULT_TENANT)),
  );

  const recorded = new Map<string, string>();
  const recordHistory = (e: VerificationEntry): void => {
    const r = historyRecordFor(e);
    if (!r) return;
    const signature = `${r.phase}:${r.attempts}:${r.source}`;
    if (recorded.get(e.key) === signature) return;
    if (recorded.size > 1000) recorded.clear();
    recorded.set(e.key, signature);
    void history.record(r);
  };
  let polling = false;
  const subs = [
    polls.onDidChange((state) => store.updateFromPoll(state, !isTerminal(state.phase))),
    store.onDidChange((e) => {
      counters.storeChanges++;
      requestRender();
      polling = store.anyPolling();
      if (e) entryView(e); // the panel's 'entry' message body
      if (e) recordHistory(e);
    }),
  ];
  return {
    client,
    polls,
    store,
    exchanges,
    budgets,
    counters,
    dispose: () => {
      polls.dispose();
      for (const s of subs) s.dispose();
      if (ticker !== undefined) clearInterval(ticker);
      ticker = undefined;
      statusBarRenders.dispose();
      store.dispose();
      history.dispose();
      void statusText;
      void polling;
    },
  };
}
