/**
 * The plain result objects the verification commands (check, poll, send) return to programmatic callers. `vscode`-free,
 * unit-tested in plain Node. Nothing here ever holds a secret: ids, states and error messages only.
 */
import type { ResultError } from '../onelogin/errors';
import type { FactorKind } from '../verification/devices';
import type { PollPhase, PollState, VerificationStatus, VerificationStatusResult } from '../verification/types';

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

/** What triggerVerification returns: ids, states and times; never a secret. */
export interface TriggerCommandResult extends Partial<VerificationCommandResult> {
  state: VerificationCommandResult['state'];
  userId: string;
  deviceId?: string;
  verificationId?: string;
  /** Epoch ms (local clock) when polling gives up. */
  expiresAt?: number;
  /** expires_at exactly as OneLogin sent it (server clock). */
  serverExpiresAt?: string;
  /** Where the deadline came from: OneLogin's expires_at (consistent with its Date header), or now + expires_in. */
  deadlineSource?: 'server' | 'local';
  factor?: FactorKind;
  /** The factor takes a one-time code (Enter OTP…). */
  acceptsCode?: boolean;
  cancelled?: boolean;
}

export function triggerError(userId: string, error: ResultError, deviceId?: string): TriggerCommandResult {
  const out: TriggerCommandResult = { state: 'error', userId, error };
  if (deviceId) out.deviceId = deviceId;
  if (error.httpStatus !== undefined) out.httpStatus = error.httpStatus;
  return out;
}
