/**
 * The latest known state of every verification the user looked at in this window, whether it came from
 * a poll (live) or a single check, plus entries restored from the panel after a window reload.
 * The status bar and the panel both render from here. Plain Node (no `vscode`); holds no secret.
 */
import { Emitter, type IDisposable } from '../util/lifecycle';
import type { SerializedOneLoginError } from '../onelogin/errors';
import { stateKey, verificationKey, type PollState, type VerificationStatusResult } from './types';

export type EntrySource = 'check' | 'poll' | 'restored' | 'otp';

/** What the trigger call said about a verification this window sent (never a secret). */
export interface TriggerInfo {
  deviceId: string;
  /** "My iPhone · OneLogin Protect", when the device list was read. */
  deviceLabel?: string;
  /** Whether the factor asks for a one-time code (Authenticator, SMS, Email; Voice after the call). */
  needsCode?: boolean;
  /** expires_at exactly as OneLogin sent it (server clock). */
  serverExpiresAt?: string;
  /** Where the local poll deadline came from: OneLogin's expires_at (checked against its Date header), or the local clock. */
  deadlineSource: 'server' | 'local';
  /** Epoch ms (local clock) when the trigger's reply arrived. */
  triggeredAt: number;
}

export interface VerificationEntry {
  /** `${userId}/${verificationId}` (ids never contain '/'). */
  key: string;
  state: PollState;
  /** True while a poll loop runs for it. */
  polling: boolean;
  source: EntrySource;
  /** Creation order: the panel lists entries newest first by this. */
  seq: number;
  /** Epoch ms of the last change. */
  updatedAt: number;
  /** Set when this window triggered the verification. */
  trigger?: TriggerInfo;
}

export const MAX_ENTRIES = 50;

/** The tenant as a state field: only a tenant other than "default" is written (one tenant: nothing extra). */
function tenantField(tenant: string | undefined): { tenant?: string } {
  return tenant !== undefined && tenant !== 'default' ? { tenant } : {};
}

export function entryKey(userId: string, verificationId: string, tenant?: string): string {
  return verificationKey(userId, verificationId, tenant);
}

export class VerificationStore implements IDisposable {
  private readonly map = new Map<string, VerificationEntry>();
  /** Trigger info for keys that have no entry yet (the poll's first event creates it). */
  private readonly pendingTrigger = new Map<string, TriggerInfo>();
  private seq = 0;
  private readonly changed = new Emitter<VerificationEntry | undefined>();
  /** Fires with the changed entry, or undefined when several changed or entries were removed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): VerificationEntry | undefined {
    return this.map.get(key);
  }

  /** Newest first. */
  entries(): VerificationEntry[] {
    return [...this.map.values()].sort((a, b) => b.seq - a.seq);
  }

  /** Whether any loop is running; no sort, so cheap on every change. */
  anyPolling(): boolean {
    for (const e of this.map.values()) if (e.polling) return true;
    return false;
  }

  /** A poll reported a state; `active` says whether its loop is still running. */
  updateFromPoll(state: PollState, active: boolean): VerificationEntry {
    return this.put(stateKey(state), { state, polling: active, source: 'poll' });
  }

  /** Attaches what the trigger call said; kept on the entry from then on. */
  annotate(userId: string, verificationId: string, trigger: TriggerInfo, tenant?: string): void {
    const key = entryKey(userId, verificationId, tenant);
    const e = this.map.get(key);
    if (!e) {
      this.pendingTrigger.set(key, trigger);
      if (this.pendingTrigger.size > MAX_ENTRIES) this.pendingTrigger.delete(this.pendingTrigger.keys().next().value as string);
      return;
    }
    const entry: VerificationEntry = { ...e, trigger, updatedAt: this.now() };
    this.map.set(key, entry);
    this.changed.fire(entry);
  }

  /**
   * OneLogin accepted a one-time code for a verification that no poll is running for (a running poll
   * is settled through the poll manager instead, and reports here like any poll).
   */
  recordOtpAccepted(userId: string, verificationId: string, httpStatus: number, deviceId?: string, tenant?: string): VerificationEntry {
    const key = entryKey(userId, verificationId, tenant);
    const previous = this.map.get(key);
    const state: PollState = {
      phase: 'accepted',
      userId,
      verificationId,
      ...tenantField(tenant),
      deviceId: deviceId ?? previous?.state.deviceId,
      attempt: previous?.state.attempt ?? 0,
      expiresAt: previous?.state.expiresAt ?? 0,
      lastCheckedAt: this.now(),
      lastHttpStatus: httpStatus,
    };
    if (state.deviceId === undefined) delete state.deviceId;
    return this.put(key, { state, polling: false, source: 'otp' });
  }

  /**
   * A single status check finished. While a poll runs for the same verification the poll owns the
   * state (it will see the same answer within one interval), so the check does not overwrite it.
   */
  recordCheck(
    userId: string,
    verificationId: string,
    outcome: { result: VerificationStatusResult } | { error: SerializedOneLoginError },
    tenant?: string,
  ): VerificationEntry {
    const key = entryKey(userId, verificationId, tenant);
    const previous = this.map.get(key);
    if (previous?.polling) return previous;
    const now = this.now();
    const base: PollState = {
      phase: 'idle',
      userId,
      verificationId,
      ...tenantField(tenant),
      deviceId: previous?.state.deviceId,
      attempt: (previous?.state.attempt ?? 0) + 1,
      expiresAt: previous?.state.expiresAt ?? 0,
      lastCheckedAt: now,
    };
    const state: PollState =
      'result' in outcome
        ? {
            ...base,
            phase: outcome.result.status,
            deviceId: outcome.result.deviceId ?? base.deviceId,
            lastHttpStatus: outcome.result.httpStatus,
          }
        : { ...base, phase: 'error', lastHttpStatus: outcome.error.httpStatus, error: outcome.error };
    return this.put(key, { state, polling: false, source: 'check' });
  }

  /** Re-adds entries saved by the panel before a reload; live entries win over restored ones. */
  restore(states: PollState[]): void {
    let added = false;
    for (const state of [...states].reverse()) {
      const key = stateKey(state);
      if (this.map.has(key)) continue;
      this.insert(key, { state, polling: false, source: 'restored' }, false);
      added = true;
    }
    if (added) this.changed.fire(undefined);
  }

  /** Forgets entries that are not polling (the panel's "Clear"). Returns how many were removed. */
  clearFinished(): number {
    let n = 0;
    for (const [key, e] of this.map) {
      if (!e.polling) {
        this.map.delete(key);
        n++;
      }
    }
    if (n) this.changed.fire(undefined);
    return n;
  }

  private put(key: string, fields: Pick<VerificationEntry, 'state' | 'polling' | 'source'>): VerificationEntry {
    const previous = this.map.get(key);
    if (previous) {
      const entry: VerificationEntry = { ...previous, ...fields, updatedAt: this.now() };
      this.map.set(key, entry);
      this.changed.fire(entry);
      return entry;
    }
    return this.insert(key, fields, true);
  }

  private insert(key: string, fields: Pick<VerificationEntry, 'state' | 'polling' | 'source'>, fire: boolean): VerificationEntry {
    const entry: VerificationEntry = { key, ...fields, seq: ++this.seq, updatedAt: this.now() };
    const trigger = this.pendingTrigger.get(key);
    if (trigger) {
      entry.trigger = trigger;
      this.pendingTrigger.delete(key);
    }
    this.map.set(key, entry);
    const evicted = this.evict();
    if (fire) this.changed.fire(evicted ? undefined : entry);
    return entry;
  }

  /** Keeps at most MAX_ENTRIES, dropping the oldest entries that are not polling. */
  private evict(): boolean {
    let evicted = false;
    if (this.map.size <= MAX_ENTRIES) return false;
    const oldestFirst = [...this.map.values()].sort((a, b) => a.seq - b.seq);
    for (const e of oldestFirst) {
      if (this.map.size <= MAX_ENTRIES) break;
      if (e.polling) continue;
      this.map.delete(e.key);
      evicted = true;
    }
    return evicted;
  }

  dispose(): void {
    this.changed.dispose();
    this.map.clear();
    this.pendingTrigger.clear();
  }
}
