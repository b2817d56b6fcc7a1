/**
 * Shared rig of the hostile suite (test/hostile): the REAL OneLoginClient, PollManager/VerificationPoller,
 * panel view model and log formatter, wired like src/extension.ts wires them (minus `vscode`), against the
 * simulator over real HTTP on 127.0.0.1.
 *
 * - `HostMirror` is the extension host's side of every exchange: the log line, the panel's exchange log
 *   and view, the verification store. Everything it produces is also kept in `artifacts` so that the last
 *   file of the suite (secretScan.test.ts) can search all of it for the test secrets.
 * - `PollRig` runs polls. With `fake: true` only setTimeout/clearTimeout are faked (Date, I/O and
 *   setImmediate stay real): HTTP goes over real sockets, and whenever the poller has armed its timer the
 *   rig advances the fake clock exactly to the next check, checking on the way that nothing was sent earlier.
 *   So a 30 s Retry-After costs no real time, and leftover timers are counted exactly (clock.countTimers()).
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as FakeTimers from '@sinonjs/fake-timers';
import { OneLoginClient } from '../../src/onelogin/client';
import { OneLoginError, type OneLoginErrorKind } from '../../src/onelogin/errors';
import type { Exchange } from '../../src/onelogin/exchange';
import type { Credentials, OneLoginClientOptions } from '../../src/onelogin/types';
import { logExchange, type LogSink } from '../../src/records/log';
import { buildSnapshot } from '../../src/panel/snapshot';
import { ExchangeLog } from '../../src/records/exchangeLog';
import { PollManager, type PollDefaults, type PollRequest } from '../../src/verification/pollManager';
import { isTerminal, type PollState } from '../../src/verification/types';
import type { VerificationPoller } from '../../src/verification/poller';
import { VerificationStore } from '../../src/verification/store';
import type { SimRequest, Simulator } from '../mock-onelogin/server';

type Clock = ReturnType<typeof FakeTimers.install>;

/** Real timer functions, captured before any test installs fake ones. */
export const realSetTimeout = globalThis.setTimeout;
export const realClearTimeout = globalThis.clearTimeout;

export const USER = '3919988';

/** The test secrets. Long and distinctive, so a substring search for them cannot hit by chance. */
export const SECRETS = {
  accessToken: 'HOSTILE-AT-7f3c9a1e5b2d4f60a8c1e3b5d7f9a0c2',
  clientId: 'HOSTILE-CID-4b8e2f6a1c3d5e7f9a0b',
  clientSecret: 'HOSTILE-SECRET-9d1f3b5a7c2e4f6081a3c5e7',
} as const;

export const simOptions = { accessTokens: [SECRETS.accessToken], clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret };

export const ACCESS_TOKEN: Credentials = { kind: 'accessToken', accessToken: SECRETS.accessToken };
export const CLIENT_CREDENTIALS: Credentials = { kind: 'clientCredentials', clientId: SECRETS.clientId, clientSecret: SECRETS.clientSecret };

// ------------------------------------------------------------------ secrets and artifacts

/** Every secret value the extension held during the run: the fixed ones plus every token a server minted. */
export const knownSecrets = new Set<string>(Object.values(SECRETS));

/** Adds every Authorization value (and the token inside it) a test server received to knownSecrets. */
export function harvestSecrets(sim: Pick<Simulator, 'on'>): void {
  sim.on('request', (r: SimRequest) => addAuthorization(r.headers.authorization));
}

export function addAuthorization(value: string | string[] | undefined): void {
  for (const v of Array.isArray(value) ? value : value ? [value] : []) {
    knownSecrets.add(v);
    const bearer = /^\s*bearer:?\s*(\S+)\s*$/i.exec(v);
    if (bearer && bearer[1].length >= 8) knownSecrets.add(bearer[1]);
  }
}

/** Everything the extension would have written or shown, by kind. Scanned at the end of the run. */
export const artifacts: { kind: string; text: string }[] = [];

/** JSON without the parsed body (`json` of an Exchange can be nested too deep for JSON.stringify; bodyText has it). */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (k, v: unknown) => (k === 'json' ? undefined : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Every string in a value, keys and leaves, exactly as a person would see them (not JSON-escaped again),
 * one per line. `json` (an Exchange's parsed body) is skipped: `bodyText` holds the same text.
 */
export function strings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (value instanceof Error) out.push(value.name, value.message);
  else if (value && typeof value === 'object' && depth < 64) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'json') continue;
      out.push(k);
      strings(v, out, depth + 1);
    }
  }
  return out;
}

export function record(kind: string, value: unknown): void {
  artifacts.push({ kind, text: strings(value).join('\n') });
}

/** A secret as it may appear in text: as is, and as it is spelled inside a JSON string. */
export function secretForms(secret: string): string[] {
  const escaped = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, escaped, escaped.replace(/\//g, '\\/')])];
}

/** The secrets (in any spelling) that occur in `text`. */
export function secretsIn(text: string, secrets: Iterable<string>): string[] {
  return [...secrets].filter((s) => secretForms(s).some((f) => text.includes(f)));
}

// ------------------------------------------------------------------ the host side, without vscode

/** All mirrors of the run, so the scan can also take their final panel snapshots and copyable bodies. */
export const mirrors: HostMirror[] = [];

/** What src/extension.ts does with each exchange and poll state: log line, panel exchange log, store. */
export class HostMirror {
  readonly exchanges: Exchange[] = [];
  readonly logLines: string[] = [];
  readonly log = new ExchangeLog();
  readonly store = new VerificationStore();
  readonly sink: LogSink;

  constructor() {
    const line = (level: string) => (m: string | Error) => {
      const text = `[${level}] ${m instanceof Error ? `${m.name}: ${m.message}` : m}`;
      this.logLines.push(text);
      record('log line', text);
    };
    this.sink = { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
    mirrors.push(this);
  }

  /** The client's onExchange, as the extension wires it: log first, then the panel (exceptions propagate, as there). */
  readonly onExchange = (ex: Exchange): void => {
    this.exchanges.push(ex);
    record('exchange', ex);
    logExchange(this.sink, ex);
    const { view } = this.log.add(ex);
    record('panel exchange message', view);
  };

  readonly onPollState = (s: PollState): void => {
    this.store.updateFromPoll(s, !isTerminal(s.phase));
    record('poll state', s);
  };

  /** The panel snapshot and every body "Copy body" / "Open in editor" would hand out. */
  finalArtifacts(): void {
    const snapshot = buildSnapshot(this.store.entries(), this.log, Date.now());
    record('panel snapshot', snapshot);
    for (const g of [...snapshot.groups.map((x) => x.exchanges), snapshot.other.exchanges]) {
      for (const v of g) {
        const body = this.log.fullBody(v.id);
        if (body) record('copied/opened body', body.text);
      }
    }
  }
}

export function newClient(mirror: HostMirror, baseUrl: string, credentials: Credentials | (() => Credentials | undefined), over: Partial<OneLoginClientOptions> = {}): OneLoginClient {
  const get = typeof credentials === 'function' ? credentials : (): Credentials => credentials;
  return new OneLoginClient({ baseUrl, getCredentials: async () => get(), onExchange: mirror.onExchange, requestTimeoutMs: 2000, ...over });
}

// ------------------------------------------------------------------ polls

export interface Schedule {
  /** Clock time the state with nextCheckAt was seen. */
  at: number;
  delayMs: number;
  attempt: number;
  retry?: PollState['retry'];
}

export interface RigOptions {
  baseUrl: string;
  credentials: Credentials | (() => Credentials | undefined);
  /** Fake setTimeout/clearTimeout and drive the clock (default true). */
  fake?: boolean;
  requestTimeoutMs?: number;
  poll?: Partial<PollDefaults>;
  /** Called (and awaited) before the clock is advanced to each scheduled check. */
  beforeNext?: (state: PollState, rig: PollRig) => Promise<void> | void;
}

export class PollRig {
  readonly clock?: Clock;
  readonly mirror = new HostMirror();
  readonly client: OneLoginClient;
  readonly manager: PollManager;
  /** Every state any poll emitted, in order. */
  readonly states: PollState[] = [];
  readonly schedules: Schedule[] = [];
  /** Status checks started, and the most that were ever in flight at once. */
  checks = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Set when a check was sent before the time the poller had announced (nextCheckAt). */
  earlyChecks = 0;
  private readonly options: RigOptions;
  private readonly errors: unknown[] = [];

  constructor(options: RigOptions) {
    this.options = options;
    if (options.fake !== false) this.clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout'] });
    this.client = newClient(this.mirror, options.baseUrl, options.credentials, { requestTimeoutMs: options.requestTimeoutMs ?? 2000 });
    this.manager = new PollManager(
      (userId, verificationId) => (signal) => this.tracked(() => this.client.getVerificationStatus(userId, verificationId, signal)),
      () => ({ intervalMs: 2000, timeoutMs: 120_000, jitterRatio: 0, now: this.now, ...options.poll }),
    );
    this.manager.onDidChange((s) => {
      this.states.push(s);
      this.mirror.onPollState(s);
    });
  }

  readonly now = (): number => (this.clock ? this.clock.now : Date.now());

  /** Starts a poll and resolves with its final state, driving the fake clock when there is one. */
  run(req: PollRequest): Promise<PollState> {
    const poller = this.manager.start(req);
    if (this.clock) {
      poller.onDidChange((s) => {
        if (!isTerminal(s.phase) && s.nextCheckAt !== undefined) setImmediate(() => void this.advance(poller, s).catch((e: unknown) => this.errors.push(e)));
      });
    }
    return poller.start();
  }

  /** Errors thrown while driving (a failed beforeNext); asserted empty by done(). */
  get driveErrors(): unknown[] {
    return this.errors;
  }

  private async advance(poller: VerificationPoller, s: PollState): Promise<void> {
    const clock = this.clock as Clock;
    if (poller.state !== s) return;
    const delayMs = (s.nextCheckAt as number) - clock.now;
    this.schedules.push({ at: clock.now, delayMs, attempt: s.attempt, retry: s.retry });
    await this.options.beforeNext?.(s, this);
    if (poller.state !== s) return;
    const wait = Math.max(0, (s.nextCheckAt as number) - clock.now);
    if (wait >= 1) {
      clock.tick(wait - 1);
      // 1 ms before the announced time: the timer must not have fired yet.
      if (poller.state.attempt !== s.attempt || poller.isFinished) this.earlyChecks++;
      clock.tick(1);
    } else {
      clock.tick(0);
    }
  }

  private async tracked<T>(fn: () => Promise<T>): Promise<T> {
    this.checks++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  /** Asserts what every fault case must hold at its end, then restores the real timers. */
  done(): void {
    try {
      assert.deepEqual(this.errors, [], 'driving the clock failed');
      assert.equal(this.inFlight, 0, 'a status check is still in flight');
      if (this.checks > 0) assert.equal(this.maxInFlight, 1, 'two status checks of one poll overlapped');
      assert.equal(this.earlyChecks, 0, 'a check went out before the time the poller announced');
      assertSequential(this.mirror.exchanges);
      if (this.clock) assert.equal(this.clock.countTimers(), 0, `timers left: ${this.clock.countTimers()}`);
    } finally {
      this.dispose();
    }
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.manager.dispose();
    this.clock?.uninstall();
  }
}

// ------------------------------------------------------------------ assertions

/** No two exchanges overlapped in time: each started after the previous one ended (1 ms rounding each way). */
export function assertSequential(exchanges: readonly Exchange[]): void {
  const sorted = [...exchanges].sort((a, b) => a.id - b.id);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const end = Date.parse(prev.startedAt) + prev.durationMs;
    assert.ok(Date.parse(sorted[i].startedAt) >= end - 2, `exchange ${sorted[i].id} (${sorted[i].method} ${sorted[i].path}) started before exchange ${prev.id} ended`);
  }
}

/**
 * The exchange log is complete: one exchange per request the servers saw, in the same order (token
 * requests included). `expected` is the servers' requests in order, with 'unreached' where an attempt
 * reached no server (connection refused, server down): there the exchange must show a network error.
 */
export function assertLogComplete(exchanges: readonly Exchange[], expected: readonly (SimRequest | 'unreached')[]): void {
  const sorted = [...exchanges].sort((a, b) => a.id - b.id);
  const describe = (e: Exchange): string => (e.status === undefined && e.error?.kind === 'network' ? 'unreached' : `${e.method} ${e.path}`);
  assert.deepEqual(
    sorted.map((e, i) => (expected[i] === 'unreached' ? describe(e) : `${e.method} ${e.path}`)),
    expected.map((r) => (r === 'unreached' ? 'unreached' : `${r.method} ${r.path}`)),
    'one exchange per request the server saw, in order',
  );
  for (const e of sorted) {
    assert.ok(e.status !== undefined || e.error, `exchange ${e.id} has neither a status nor an error`);
    assert.ok(e.requestHeaders.authorization ?? e.requestHeaders.Authorization, `exchange ${e.id} does not show its (redacted) Authorization header`);
  }
}

export async function rejectsWith(p: Promise<unknown>, kind: OneLoginErrorKind, pattern?: RegExp): Promise<OneLoginError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof OneLoginError, `expected a OneLoginError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (pattern) assert.match(e.message, pattern);
    record('error message', e.toJSON());
    return e;
  }
  assert.fail(`expected a ${kind} error`);
}

/** Resolves once `cond()` holds, checking on real time; rejects after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => realSetTimeout(r, 5));
  }
}

/** Active Node timers (ref'd 'Timeout' resources), for real-time cases. */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Sockets of Node's global agent (the one axios uses) that carry a request right now. */
export function busyClientSockets(): number {
  return Object.values(http.globalAgent.sockets).reduce((n, list) => n + (list?.length ?? 0), 0);
}

/** Idle keep-alive sockets of Node's global agent to a port (kept for reuse by design, closed after 5 s idle). */
export function idleClientSockets(port: number): number {
  return Object.values(http.globalAgent.freeSockets)
    .flatMap((list) => list ?? [])
    .filter((s) => s.remotePort === port && !s.destroyed).length;
}

// ------------------------------------------------------------------ other servers

/** A plain server on 127.0.0.1 that records whatever reaches it (the "other host" of redirect attacks). */
export async function foreignServer(): Promise<{ url: string; port: number; seen: http.IncomingMessage[]; close(): Promise<void> }> {
  const seen: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req);
    addAuthorization(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id":"x","status":"accepted"}]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
