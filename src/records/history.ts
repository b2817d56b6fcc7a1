/**
 * The history of past verifications, kept in `context.globalState` so it survives a restart: ids, the
 * device, the final phase, times and the number of status requests. No bodies, no messages, no secret.
 * Bounded by the setting `onelogin-mfa.history.maxEntries` (0 turns it off and forgets what was kept).
 * Pure and `vscode`-free: the storage is injected (`vscode.Memento` satisfies `HistoryStorage`).
 */
import { Emitter, type IDisposable } from '../util/lifecycle';
import { validateDeviceId, validateUserId, validateVerificationId } from '../onelogin/ids';
import { POLL_PHASES, verificationKey, type PollPhase } from '../verification/types';
import { tenantNameProblem } from '../connection/tenants';
import type { VerificationEntry } from '../verification/store';

export const HISTORY_KEY = 'onelogin-mfa.history';
/** Stored format version; anything else is ignored. */
const VERSION = 1;
export const HISTORY_BOUNDS = { default: 50, min: 0, max: 500 } as const;

export type HistorySource = 'trigger' | 'poll' | 'check' | 'otp';

export interface HistoryEntry {
  /** `${userId}/${verificationId}`, plus `/${tenant}` for a tenant other than "default" (verificationKey). */
  key: string;
  userId: string;
  verificationId: string;
  /** The tenant, when not "default". */
  tenant?: string;
  deviceId?: string;
  /** The last phase seen (terminal for polls; what a single check saw otherwise). */
  phase: PollPhase;
  /** Epoch ms when this window first saw (or sent) the verification. */
  startedAt: number;
  /** Epoch ms of the last recorded change. */
  endedAt: number;
  /** Status requests made. */
  attempts: number;
  /** How it was followed: sent from here, polled, checked once, or settled by a code. */
  source: HistorySource;
  /** For phase error: the error kind only (never the message). */
  errorKind?: string;
}

export interface HistoryStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

const SOURCES: readonly HistorySource[] = ['trigger', 'poll', 'check', 'otp'];
const ERROR_KIND = /^[A-Za-z]{1,32}$/;

/** Clamps the setting: whole numbers 0..500, anything else the default. */
export function boundedMaxEntries(value: unknown): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.floor(value) : HISTORY_BOUNDS.default;
  return Math.min(HISTORY_BOUNDS.max, Math.max(HISTORY_BOUNDS.min, n));
}

const time = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

function parseEntry(v: unknown): HistoryEntry | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  let userId: string;
  let verificationId: string;
  let deviceId: string | undefined;
  try {
    userId = validateUserId(r.userId);
    verificationId = validateVerificationId(r.verificationId);
    if (r.deviceId !== undefined) deviceId = validateDeviceId(r.deviceId);
  } catch {
    return undefined;
  }
  const phase = POLL_PHASES.find((p) => p === r.phase);
  const source = SOURCES.find((p) => p === r.source) ?? 'poll';
  const startedAt = time(r.startedAt);
  const endedAt = time(r.endedAt);
  if (!phase || startedAt === undefined || endedAt === undefined) return undefined;
  const tenant = typeof r.tenant === 'string' && r.tenant !== 'default' && tenantNameProblem(r.tenant) === undefined ? r.tenant : undefined;
  const entry: HistoryEntry = {
    key: verificationKey(userId, verificationId, tenant),
    userId,
    verificationId,
    ...(tenant !== undefined ? { tenant } : {}),
    phase,
    startedAt,
    endedAt,
    attempts: Math.min(1e6, Math.floor(time(r.attempts) ?? 0)),
    source,
  };
  if (deviceId !== undefined) entry.deviceId = deviceId;
  if (typeof r.errorKind === 'string' && ERROR_KIND.test(r.errorKind)) entry.errorKind = r.errorKind;
  return entry;
}

/** What was stored, validated as untrusted input (another version, a hand edit): bad entries are dropped. */
export function parseHistory(raw: unknown, max: number = HISTORY_BOUNDS.max): HistoryEntry[] {
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== VERSION) return [];
  const list = (raw as { entries?: unknown }).entries;
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const out: HistoryEntry[] = [];
  for (const v of list.slice(0, HISTORY_BOUNDS.max)) {
    const e = parseEntry(v);
    if (!e || seen.has(e.key)) continue;
    seen.add(e.key);
    out.push(e);
  }
  return out.slice(0, max);
}

/** Both lists, one entry per verification (the one that ended last), newest first; none ended by `clearedAt`. */
function mergeEntries(ours: readonly HistoryEntry[], stored: readonly HistoryEntry[], clearedAt: number): HistoryEntry[] {
  const byKey = new Map<string, HistoryEntry>();
  for (const e of [...ours, ...stored]) {
    if (e.endedAt <= clearedAt) continue;
    const previous = byKey.get(e.key);
    if (!previous || e.endedAt > previous.endedAt) byKey.set(e.key, e);
  }
  return [...byKey.values()].sort((a, b) => b.endedAt - a.endedAt);
}

export interface HistoryRecord {
  userId: string;
  verificationId: string;
  tenant?: string;
  deviceId?: string;
  phase: PollPhase;
  attempts: number;
  source: HistorySource;
  errorKind?: string;
  /** When it started, if known (a trigger's time). */
  startedAt?: number;
}

/**
 * The history record for a store entry, or undefined when there is nothing to record yet: a poll still
 * running, an entry restored from before a reload (already recorded then), or an idle placeholder.
 */
export function historyRecordFor(entry: VerificationEntry): HistoryRecord | undefined {
  const s = entry.state;
  if (entry.polling || entry.source === 'restored' || s.phase === 'idle') return undefined;
  if (entry.source === 'poll' && s.phase === 'pending') return undefined;
  const record: HistoryRecord = {
    userId: s.userId,
    verificationId: s.verificationId,
    ...(s.tenant !== undefined ? { tenant: s.tenant } : {}),
    phase: s.phase,
    attempts: s.attempt,
    source: entry.source === 'otp' ? 'otp' : entry.trigger ? 'trigger' : entry.source,
  };
  const deviceId = s.deviceId ?? entry.trigger?.deviceId;
  if (deviceId !== undefined) record.deviceId = deviceId;
  if (s.phase === 'error' && s.error) record.errorKind = s.error.kind;
  if (entry.trigger) record.startedAt = entry.trigger.triggeredAt;
  return record;
}

export class HistoryStore implements IDisposable {
  private cache: HistoryEntry[] | undefined;
  /** The stored value the cache was parsed from: another window's write replaces it (VS Code updates every window's globalState). */
  private cachedFrom: unknown;
  /** Writes of ours not yet in storage. */
  private pendingWrites = 0;
  /** When this window last cleared the history (entries that ended before are gone for good). */
  private clearedAt = Number.NEGATIVE_INFINITY;
  private writes: Promise<void> = Promise.resolve();
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storage: HistoryStorage,
    private readonly maxEntries: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the history is kept at all (maxEntries > 0). */
  get enabled(): boolean {
    return this.limit() > 0;
  }

  /** Newest first. */
  entries(): HistoryEntry[] {
    return this.load().map((e) => ({ ...e }));
  }

  /** Adds or updates the entry of one verification (it moves to the top). Nothing when the history is off. */
  record(r: HistoryRecord): Promise<void> {
    const max = this.limit();
    if (max === 0) return this.applyLimit();
    const key = verificationKey(r.userId, r.verificationId, r.tenant);
    const list = this.load();
    const previous = list.find((e) => e.key === key);
    const now = this.now();
    const entry: HistoryEntry = {
      key,
      userId: r.userId,
      verificationId: r.verificationId,
      ...(r.tenant !== undefined ? { tenant: r.tenant } : {}),
      phase: r.phase,
      startedAt: previous?.startedAt ?? r.startedAt ?? now,
      endedAt: now,
      attempts: Math.max(r.attempts, 0),
      // A verification sent from here stays marked so; an OTP settles whatever it was.
      source: previous?.source === 'trigger' && r.source !== 'otp' ? 'trigger' : r.source,
    };
    const deviceId = r.deviceId ?? previous?.deviceId;
    if (deviceId !== undefined) entry.deviceId = deviceId;
    if (r.errorKind !== undefined && ERROR_KIND.test(r.errorKind)) entry.errorKind = r.errorKind;
    this.cache = [entry, ...list.filter((e) => e.key !== key)].slice(0, max);
    return this.save();
  }

  /** Forgets everything. Returns how many entries there were. */
  async clear(): Promise<number> {
    const n = this.load().length;
    this.cache = [];
    this.clearedAt = this.now(); // a late echo of an older write must not bring cleared entries back
    await this.save(true);
    return n;
  }

  /** Applies the current setting (after it changed): trims, or forgets everything when 0. */
  applyLimit(): Promise<void> {
    const max = this.limit();
    const raw = this.storage.get<unknown>(HISTORY_KEY);
    const list = parseHistory(raw); // all that is stored, not already cut to the new limit
    if (list.length <= max && (max > 0 || raw === undefined)) return this.writes;
    this.cache = list.slice(0, max);
    return this.save(max === 0);
  }

  /** Tells listeners when another window changed the stored history since it was last read here. */
  refreshIfChanged(): boolean {
    if (this.cache === undefined || this.pendingWrites > 0 || this.storage.get<unknown>(HISTORY_KEY) === this.cachedFrom) return false;
    this.load();
    this.changed.fire();
    return true;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private limit(): number {
    return boundedMaxEntries(this.maxEntries());
  }

  /**
   * The stored list, re-read whenever the stored value is no longer the one last parsed: every write
   * starts from what is stored now, so two windows merge instead of overwriting each other.
   */
  private load(): HistoryEntry[] {
    // While a write of ours is on its way, our copy is newer than what storage still shows.
    if (this.cache !== undefined && this.pendingWrites > 0) return this.cache;
    const raw = this.storage.get<unknown>(HISTORY_KEY);
    if (this.cache === undefined) {
      this.cache = parseHistory(raw, this.limit());
    } else if (raw !== this.cachedFrom) {
      // Merged, not replaced: what storage shows may also be a late echo of an older write of ours.
      // Removed while we had entries: another window cleared the history (or turned it off).
      this.cache = raw === undefined ? [] : mergeEntries(this.cache, parseHistory(raw), this.clearedAt).slice(0, this.limit());
    }
    this.cachedFrom = raw;
    return this.cache;
  }

  /** Writes in order; a failed write is not retried (the next change writes everything again). */
  private save(remove = false): Promise<void> {
    const value = remove && (this.cache?.length ?? 0) === 0 ? undefined : { version: VERSION, entries: this.cache ?? [] };
    this.cachedFrom = value; // what this window wrote is what its cache holds
    this.pendingWrites++;
    const done = (): void => {
      this.pendingWrites--;
    };
    this.writes = this.writes.then(
      () => this.storage.update(HISTORY_KEY, value),
      () => this.storage.update(HISTORY_KEY, value),
    );
    this.writes.then(done, done);
    this.changed.fire();
    return this.writes;
  }
}
