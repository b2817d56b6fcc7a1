/**
 * The pure side of the commands: argument parsing, the plain result objects returned to programmatic
 * callers, and which buttons an error notification offers. `vscode`-free, unit-tested in plain Node.
 * Nothing here ever holds a secret: results carry ids, states and error messages only.
 */
import type { ResultError } from '../onelogin/errors';
import { validateUserId, validateVerificationId } from '../onelogin/ids';
import type { PollPhase, PollState, VerificationStatus, VerificationStatusResult } from '../verification/types';
import { isPlainObject } from '../util/values';

/** What checkVerification and pollVerification return. */
export interface VerificationCommandResult {
  state: PollPhase;
  status?: VerificationStatus;
  httpStatus?: number;
  userId: string;
  verificationId: string;
  deviceId?: string;
  /** The tenant, when it is not "default". */
  tenant?: string;
  /** Status requests made (poll). */
  attempt?: number;
  /** Epoch ms when polling gives up (poll). */
  expiresAt?: number;
  error?: ResultError;
}

export function checkResult(userId: string, verificationId: string, r: VerificationStatusResult): VerificationCommandResult {
  const out: VerificationCommandResult = { state: r.status, status: r.status, httpStatus: r.httpStatus, userId, verificationId };
  if (r.deviceId !== undefined) out.deviceId = r.deviceId;
  return out;
}

export function errorResult(userId: string, verificationId: string, error: ResultError): VerificationCommandResult {
  const out: VerificationCommandResult = { state: 'error', userId, verificationId, error };
  if (error.httpStatus !== undefined) out.httpStatus = error.httpStatus;
  return out;
}

export function pollResult(s: PollState): VerificationCommandResult {
  const out: VerificationCommandResult = {
    state: s.phase,
    userId: s.userId,
    verificationId: s.verificationId,
    attempt: s.attempt,
    expiresAt: s.expiresAt,
  };
  if (s.phase === 'accepted' || s.phase === 'rejected') out.status = s.phase;
  else if (s.phase === 'pending' || s.phase === 'expired') out.status = 'pending';
  if (s.lastHttpStatus !== undefined) out.httpStatus = s.lastHttpStatus;
  if (s.deviceId !== undefined) out.deviceId = s.deviceId;
  if (s.tenant !== undefined) out.tenant = s.tenant;
  if (s.error) {
    out.error = { kind: s.error.kind, message: s.error.message };
    const code = (s.error as { code?: unknown }).code;
    if (typeof code === 'string') out.error.code = code;
    if (s.error.httpStatus !== undefined) out.error.httpStatus = s.error.httpStatus;
    if (s.error.requestId) out.error.requestId = s.error.requestId;
  }
  return out;
}

// ---------------------------------------------------------------- arguments


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

// ---------------------------------------------------------------- error notifications

export type ErrorAction = 'setAccessToken' | 'setClientCredentials' | 'openSettings' | 'checkIds' | 'showPanel' | 'showLog';

/** The buttons an error notification offers (at most 3), most useful first. */
export function actionsFor(error: Pick<ResultError, 'kind' | 'code'>): ErrorAction[] {
  if (error.code === 'NO_CREDENTIALS') return ['setAccessToken', 'setClientCredentials'];
  if (error.code === 'INVALID_BASE_URL' || error.code === 'UNKNOWN_TENANT') return ['openSettings'];
  switch (error.kind) {
    case 'auth':
      return ['setAccessToken', 'setClientCredentials', 'showPanel'];
    case 'forbidden':
      return ['setClientCredentials', 'showPanel'];
    case 'notFound':
      return ['checkIds', 'showPanel'];
    case 'invalidInput':
      return ['checkIds'];
    case 'network':
    case 'timeout':
      return ['openSettings', 'showLog'];
    case 'rateLimited':
    case 'server':
    case 'invalidResponse':
      return ['showPanel', 'showLog'];
    case 'cancelled':
      return [];
  }
}
