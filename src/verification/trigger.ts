/**
 * Sending a verification (POST /verifications), the pure side: argument validation, the local poll
 * deadline, and the registry that refuses a second push for a user and device while one is pending.
 * `vscode`-free.
 *
 * A second POST sends the user another push (or places another call), so the registry is checked, and
 * a slot reserved, before anything is sent; the slot is held until the verification settles or its
 * deadline passes.
 */
import { formatMessage, type Localize } from '../util/l10n';
import { validateDeviceId, validateUserId } from '../onelogin/ids';
import type { ResultError } from '../onelogin/errors';
import { isTerminal, type PollPhase } from './types';
import { isPlainObject } from '../util/values';

export const EXPIRES_IN = { default: 120, min: 30, max: 900 } as const;
export const MAX_CUSTOM_MESSAGE = 160;

export interface TriggerArgs {
  userId: string;
  /** Absent: the user's default device (read with GET /devices). */
  deviceId?: string;
  /** Seconds, 30..900; default 120. */
  expiresIn: number;
  /** At most 160 characters. */
  customMessage?: string;
  /** false: return as soon as polling started. Default true (resolve with the terminal poll result). */
  wait: boolean;
}

export type ParsedTriggerArgs =
  | { kind: 'interactive' }
  | { kind: 'ok'; value: TriggerArgs }
  | { kind: 'invalid'; error: ResultError; userId: string; deviceId?: string };


/** A message for the custom-message input box, or undefined when it is acceptable. */
export function customMessageProblem(value: string, t: Localize = formatMessage): string | undefined {
  if (value.length > MAX_CUSTOM_MESSAGE) return t('The message is {0} characters; OneLogin allows at most {1}.', value.length, MAX_CUSTOM_MESSAGE);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(value)) return t('The message cannot contain control characters.');
  return undefined;
}

/**
 * Arguments of `onelogin-mfa.triggerVerification`: `{ userId, deviceId?, expiresIn?, customMessage?, wait? }`.
 * A plain object is a programmatic call (a missing field is an error, not a prompt); anything else
 * means "ask".
 */
export function parseTriggerArgs(arg: unknown): ParsedTriggerArgs {
  if (!isPlainObject(arg)) return { kind: 'interactive' };
  const raw = (k: string): string => (typeof arg[k] === 'string' || typeof arg[k] === 'number' ? String(arg[k]) : '');
  const invalid = (message: string, code: string): ParsedTriggerArgs => {
    const out: ParsedTriggerArgs = { kind: 'invalid', error: { kind: 'invalidInput', message, code }, userId: raw('userId') };
    if (raw('deviceId')) out.deviceId = raw('deviceId');
    return out;
  };
  let userId: string;
  let deviceId: string | undefined;
  try {
    userId = validateUserId(arg.userId);
    if (arg.deviceId !== undefined && arg.deviceId !== null && arg.deviceId !== '') deviceId = validateDeviceId(arg.deviceId);
  } catch (e) {
    return invalid(e instanceof Error ? e.message : String(e), 'INVALID_ID');
  }
  let expiresIn: number = EXPIRES_IN.default;
  if (arg.expiresIn !== undefined) {
    const v = arg.expiresIn;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < EXPIRES_IN.min || v > EXPIRES_IN.max) {
      return invalid(`expiresIn must be a whole number of seconds from ${EXPIRES_IN.min} to ${EXPIRES_IN.max}.`, 'INVALID_ARGUMENT');
    }
    expiresIn = v;
  }
  let customMessage: string | undefined;
  if (arg.customMessage !== undefined && arg.customMessage !== null) {
    if (typeof arg.customMessage !== 'string') return invalid('customMessage must be a string.', 'INVALID_ARGUMENT');
    const problem = customMessageProblem(arg.customMessage);
    if (problem) return invalid(problem, 'INVALID_ARGUMENT');
    if (arg.customMessage.trim() !== '') customMessage = arg.customMessage;
  }
  if (arg.wait !== undefined && typeof arg.wait !== 'boolean') return invalid('wait must be true or false.', 'INVALID_ARGUMENT');
  const value: TriggerArgs = { userId, expiresIn, wait: arg.wait !== false };
  if (deviceId !== undefined) value.deviceId = deviceId;
  if (customMessage !== undefined) value.customMessage = customMessage;
  return { kind: 'ok', value };
}

// ---------------------------------------------------------------- the poll deadline

/** How far OneLogin's expires_at − Date may stray from expires_in and still be believed (Date has 1 s resolution). */
export const DEADLINE_TOLERANCE_MS = 5_000;

export interface DeadlineInput {
  /** Local clock when the reply arrived. */
  now: number;
  /** What was asked for. */
  expiresInSeconds: number;
  /** The reply's expires_at (server clock), if any. */
  expiresAt?: string;
  /** The reply's Date header (server clock), if any. */
  serverDate?: string;
}

export interface Deadline {
  /** Epoch ms, local clock: when polling gives up. */
  deadline: number;
  /** 'server': the time left that OneLogin's expires_at and Date agree on; 'local': now + expires_in. */
  source: 'server' | 'local';
  /** Why the local fallback was used. */
  reason?: 'noExpiresAt' | 'noServerDate' | 'disagrees';
  /** OneLogin's expires_at, parsed (server clock). */
  serverExpiresAt?: number;
  /** Server clock minus local clock, when the Date header was readable. */
  skewMs?: number;
}

/**
 * The deadline is always counted on the local clock: the poller compares it with Date.now(), so a
 * server expires_at taken as-is would be off by the clock skew between the two machines. When the
 * reply carries both expires_at and a Date header and they agree with what was asked (expires_at − Date
 * ≈ expires_in), the time left they imply is added to the local now; otherwise (absent, unreadable or
 * inconsistent) the safer `now + expires_in` is used.
 */
export function pollDeadline(input: DeadlineInput): Deadline {
  const local = input.now + input.expiresInSeconds * 1000;
  const at = input.expiresAt ? Date.parse(input.expiresAt) : Number.NaN;
  const date = input.serverDate ? Date.parse(input.serverDate) : Number.NaN;
  const out: Deadline = { deadline: local, source: 'local' };
  if (Number.isFinite(at)) out.serverExpiresAt = at;
  if (Number.isFinite(date)) out.skewMs = date - input.now;
  if (!Number.isFinite(at)) return { ...out, reason: 'noExpiresAt' };
  if (!Number.isFinite(date)) return { ...out, reason: 'noServerDate' };
  const left = at - date;
  if (left <= 0 || Math.abs(left - input.expiresInSeconds * 1000) > DEADLINE_TOLERANCE_MS) return { ...out, reason: 'disagrees' };
  // Never later than asked: the server's second-resolution Date could add up to a second.
  return { ...out, deadline: input.now + Math.min(left, input.expiresInSeconds * 1000), source: 'server' };
}

// ---------------------------------------------------------------- pending pushes

export interface PendingTrigger {
  userId: string;
  deviceId: string;
  /** Undefined while the POST is in flight, or when its outcome is unknown. */
  verificationId?: string;
  /** Epoch ms (local): when the slot frees itself even if nothing reported the end. */
  deadline?: number;
  /** Epoch ms when the slot was taken. */
  since: number;
  /**
   * The POST may have reached OneLogin but gave no usable answer (a timeout, a reset, a 5xx, a 201
   * without a usable id): the user's phone may have buzzed. Held until the deadline.
   */
  outcomeUnknown?: boolean;
}

/** POSTs in flight longer than this are treated as failed (the client's own timeout is at most 120 s). */
const RESERVATION_TTL_MS = 180_000;

function triggerKey(userId: string, deviceId: string): string {
  return `${userId}/${deviceId}`;
}

/**
 * One slot per user and device. `isSettled(userId, verificationId)` tells whether a verification is
 * known to be over (its poll ran and reached a terminal phase); the deadline frees the slot in any case.
 * "No poll (yet)" must count as not settled: see settledByPolls().
 */
export class TriggerRegistry {
  private readonly slots = new Map<string, PendingTrigger>();

  constructor(
    private readonly isSettled: (userId: string, verificationId: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pending push for this user and device, if one is. */
  pending(userId: string, deviceId: string): PendingTrigger | undefined {
    const key = triggerKey(userId, deviceId);
    const slot = this.slots.get(key);
    if (!slot) return undefined;
    const now = this.now();
    const pastDeadline = slot.deadline !== undefined && now >= slot.deadline;
    const over =
      slot.outcomeUnknown === true
        ? pastDeadline
        : slot.verificationId === undefined
          ? now - slot.since > RESERVATION_TTL_MS
          : pastDeadline || this.isSettled(slot.userId, slot.verificationId);
    if (over) {
      this.slots.delete(key);
      return undefined;
    }
    return { ...slot };
  }

  /** Takes the slot before the POST; false (nothing taken) when a push is pending. */
  reserve(userId: string, deviceId: string): boolean {
    if (this.pending(userId, deviceId)) return false;
    this.slots.set(triggerKey(userId, deviceId), { userId, deviceId, since: this.now() });
    return true;
  }

  /** The POST succeeded: the slot now belongs to this verification until it settles or the deadline passes. */
  commit(userId: string, deviceId: string, verificationId: string, deadline: number): void {
    this.slots.set(triggerKey(userId, deviceId), { userId, deviceId, verificationId, deadline, since: this.now() });
  }

  /** The POST's outcome is unknown (the push may be out): the slot is held until `deadline`. */
  holdUnknown(userId: string, deviceId: string, deadline: number): void {
    this.slots.set(triggerKey(userId, deviceId), { userId, deviceId, deadline, since: this.now(), outcomeUnknown: true });
  }

  /** Frees the slot: the POST was refused (nothing was sent), or the user explicitly chose to send another push. */
  release(userId: string, deviceId: string): void {
    this.slots.delete(triggerKey(userId, deviceId));
  }
}

/**
 * The registry's isSettled over the running and finished polls: settled only once a poll of that
 * verification exists and has ended. Between committing a trigger and starting its poll there is no
 * poll yet, and that must hold the slot (treating it as settled let a second push through).
 * A poll forgotten long ago also holds it, but only until the deadline.
 */
export function settledByPolls(phaseOf: (userId: string, verificationId: string) => PollPhase | undefined): (userId: string, verificationId: string) => boolean {
  return (userId, verificationId) => {
    const phase = phaseOf(userId, verificationId);
    return phase !== undefined && isTerminal(phase);
  };
}

/**
 * Whether a failed POST /verifications proves that nothing was sent: it failed before the request
 * left, or OneLogin answered 4xx with an error body. Everything else (a timeout, a reset after the
 * request went out, a 5xx, a 2xx without a usable id) leaves the outcome unknown.
 */
export function triggerFailureIsRefusal(e: { kind: string; refused?: boolean }): boolean {
  return e.refused === true || e.kind === 'invalidInput';
}

/** "A push for this user and device is already pending (42s left)…" */
export function alreadyPendingMessage(p: PendingTrigger, now: number, t: Localize = formatMessage): string {
  const left = p.deadline !== undefined ? Math.max(0, Math.ceil((p.deadline - now) / 1000)) : 0;
  if (p.outcomeUnknown) {
    return t(
      'A push to this user and device may already have been sent (the last attempt got no clear answer from OneLogin): watch the phone. Not sending another one for {0}s unless you explicitly choose to send another push.',
      left,
    );
  }
  if (p.verificationId === undefined) {
    return t('A push for this user and device is already being sent. Wait for it before sending another one.');
  }
  return t(
    'A push for this user and device is already pending ({0}s left): verification {1}. Not sending another one; wait for it to settle, stop it, or enter its code.',
    left,
    p.verificationId,
  );
}

/** The notification after a POST whose outcome is unknown. */
export function outcomeUnknownMessage(reason: string, deadline: number, now: number, t: Localize = formatMessage): string {
  return t(
    'The push may have been sent: watch the phone. OneLogin gave no clear answer ({0}). No other push is sent to this device for {1}s unless you choose "Send Another Push".',
    reason,
    Math.max(0, Math.ceil((deadline - now) / 1000)),
  );
}
