/**
 * The extension's own wiring (src/app.ts: clients, polls, store, exchange log, gauge, budgets, history,
 * push guard) and its status bar renderer (src/statusBar/renderer.ts), in plain Node with in-memory
 * settings, globalState and SecretStorage: what the extension host spends per poll, minus the VS Code
 * API calls themselves. Used by the scale, soak and budget benchmarks.
 */
import { App } from '../../src/app';
import type { SecretStore } from '../../src/connection/credentialStore';
import { formatMessage } from '../../src/util/l10n';
import { Emitter } from '../../src/util/lifecycle';
import type { LogSink } from '../../src/records/log';
import { StatusBarRenderer } from '../../src/statusBar/renderer';

export interface BenchAppOptions {
  baseUrl: string;
  token: string;
  intervalMs: number;
  timeoutMs: number;
  /** The `rateLimit.maxShare` setting (default: the setting's default). */
  maxShare?: number;
}

export interface BenchApp {
  app: App;
  counters: { exchanges: number; storeChanges: number; statusBarRenders: number };
  dispose(): void;
}

const nullSink: LogSink = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** An in-memory Memento, as globalState is in the extension host: it stores JSON. */
function memoryState(): { get<T>(key: string): T | undefined; update(key: string, value: unknown): Promise<void> } {
  const data = new Map<string, unknown>();
  return {
    get: <T>(key: string) => data.get(key) as T | undefined,
    update: (key: string, value: unknown) => {
      data.set(key, JSON.parse(JSON.stringify(value)) as unknown);
      return Promise.resolve();
    },
  };
}

/** An in-memory SecretStorage. */
function memorySecrets(): SecretStore {
  const data = new Map<string, string>();
  const changed = new Emitter<{ key: string }>();
  return {
    get: (key) => Promise.resolve(data.get(key)),
    store: (key, value) => {
      data.set(key, value);
      changed.fire({ key });
      return Promise.resolve();
    },
    delete: (key) => {
      data.delete(key);
      changed.fire({ key });
      return Promise.resolve();
    },
    onDidChange: (listener) => changed.event(listener),
  };
}

/** Builds the app against `baseUrl` with `token` stored as the default tenant's access token. */
export async function createBenchApp(o: BenchAppOptions): Promise<BenchApp> {
  const settings: Record<string, unknown> = {
    baseUrl: o.baseUrl,
    pollInterval: o.intervalMs / 1000,
    timeout: o.timeoutMs / 1000,
    ...(o.maxShare !== undefined ? { 'rateLimit.maxShare': o.maxShare } : {}),
  };
  const source = {
    get: <T>(key: string) => settings[key] as T | undefined,
    inspect: <T>(key: string) => ({ globalValue: settings[key] as T | undefined }),
  };
  const app = new App({ settings: () => source, globalState: memoryState(), secrets: memorySecrets(), log: nullSink });
  await app.credentials.setAccessToken(o.token);

  const counters = { exchanges: 0, storeChanges: 0, statusBarRenders: 0 };
  const statusBar = new StatusBarRenderer(
    { store: app.store, rateLimit: () => app.rateLimitView(), activeTenant: () => undefined, t: formatMessage },
    () => counters.statusBarRenders++,
  );
  const subs = [
    app.onDidRecordExchange(() => counters.exchanges++),
    app.onDidChangeRateLimit(() => statusBar.render()),
    app.store.onDidChange(() => counters.storeChanges++),
  ];
  return {
    app,
    counters,
    dispose: () => {
      for (const s of subs) s.dispose();
      statusBar.dispose();
      app.dispose();
    },
  };
}
