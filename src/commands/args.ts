/**
 * Parsing the argument objects of Check, Poll and Stop Polling: a plain object is a programmatic call
 * (checked, with an error result when wrong), anything else means "ask". `vscode`-free, unit-tested.
 */
import type { ResultError } from '../onelogin/errors';
import { validateUserId, validateVerificationId } from '../onelogin/ids';
import type { PollState } from '../verification/types';
import { isPlainObject } from '../util/values';

export type ParsedArgs<T> =
  /** No argument object: ask the user. */
  | { kind: 'interactive' }
  | { kind: 'ok'; value: T }
  | { kind: 'invalid'; error: ResultError; userId: string; verificationId: string };

export interface VerificationArgs {
  userId: string;
  verificationId: string;
  /** Epoch ms (from a number of ms, or an ISO date string such as the trigger's expires_at). */
  expiresAt?: number;
  /** pollVerification only: false returns as soon as the poll started. Default true. */
  wait?: boolean;
}

const invalid = (message: string, code: string, raw: Record<string, unknown>): ParsedArgs<never> => ({
  kind: 'invalid',
  error: { kind: 'invalidInput', message, code },
  userId: typeof raw.userId === 'string' || typeof raw.userId === 'number' ? String(raw.userId) : '',
  verificationId: typeof raw.verificationId === 'string' || typeof raw.verificationId === 'number' ? String(raw.verificationId) : '',
});

/** Parses an `expiresAt` argument: epoch ms, or an ISO 8601 date string. */
export function parseExpiresAt(v: unknown): number | undefined | 'invalid' {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) && v > 0 ? v : 'invalid';
  if (typeof v === 'string' && v.trim() !== '') {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? 'invalid' : ms;
  }
  return 'invalid';
}

/**
 * Arguments of checkVerification / pollVerification. Any plain object counts as a programmatic call
 * (so a caller that forgot a field gets an error result, not a prompt); anything else (no argument,
 * or what a menu passes, such as a Uri) means "ask".
 */
export function parseVerificationArgs(arg: unknown, allowPollOptions: boolean): ParsedArgs<VerificationArgs> {
  if (!isPlainObject(arg)) return { kind: 'interactive' };
  let userId: string;
  let verificationId: string;
  try {
    userId = validateUserId(arg.userId);
    verificationId = validateVerificationId(arg.verificationId);
  } catch (e) {
    return invalid(e instanceof Error ? e.message : String(e), 'INVALID_ID', arg);
  }
  const value: VerificationArgs = { userId, verificationId };
  if (allowPollOptions) {
    const expiresAt = parseExpiresAt(arg.expiresAt);
    if (expiresAt === 'invalid') {
      return invalid('expiresAt must be an ISO 8601 date string or epoch milliseconds.', 'INVALID_ARGUMENT', arg);
    }
    if (expiresAt !== undefined) value.expiresAt = expiresAt;
    if (arg.wait !== undefined && typeof arg.wait !== 'boolean') {
      return invalid('wait must be true or false.', 'INVALID_ARGUMENT', arg);
    }
    if (arg.wait === false) value.wait = false;
  }
  return { kind: 'ok', value };
}

export interface StopArgs {
  verificationId?: string;
  userId?: string;
}

/** stopPolling: no argument (or a non-object) stops every poll; `{ verificationId, userId? }` stops matching ones. */
export function parseStopArgs(arg: unknown): { kind: 'all' } | { kind: 'some'; value: StopArgs } | { kind: 'invalid'; message: string } {
  if (!isPlainObject(arg) || (arg.verificationId === undefined && arg.userId === undefined)) return { kind: 'all' };
  try {
    const value: StopArgs = {};
    if (arg.verificationId !== undefined) value.verificationId = validateVerificationId(arg.verificationId);
    if (arg.userId !== undefined) value.userId = validateUserId(arg.userId);
    return { kind: 'some', value };
  } catch (e) {
    return { kind: 'invalid', message: e instanceof Error ? e.message : String(e) };
  }
}

/** Whether a poll matches a stop request. */
export function matchesStop(state: Pick<PollState, 'userId' | 'verificationId'>, stop: StopArgs): boolean {
  return (stop.verificationId === undefined || state.verificationId === stop.verificationId) && (stop.userId === undefined || state.userId === stop.userId);
}
