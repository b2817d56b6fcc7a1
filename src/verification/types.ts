/**
 * The poller's public vocabulary: what a verification is doing, as plain serialisable data.
 * The status bar, the panel and command results all render these; none of them holds a secret.
 */
import type { SerializedOneLoginError } from '../onelogin/errors';

// What a status call returns is the API's vocabulary (onelogin/ never imports from here).
export type { VerificationStatus, VerificationStatusResult } from '../onelogin/types';

export type PollPhase = 'idle' | 'pending' | 'accepted' | 'rejected' | 'expired' | 'cancelled' | 'error';

/** Terminal phases: the poll loop has stopped. */
const TERMINAL_PHASES: readonly PollPhase[] = ['accepted', 'rejected', 'expired', 'cancelled', 'error'];

/** Every phase (to check a phase read back from saved state). */
export const POLL_PHASES: readonly PollPhase[] = ['idle', 'pending', ...TERMINAL_PHASES];

export interface PollState {
  phase: PollPhase;
  userId: string;
  verificationId: string;
  /** The OneLogin tenant the verification belongs to; absent means the "default" tenant. */
  tenant?: string;
  deviceId?: string;
  /** Status requests sent so far (including failed ones). */
  attempt: number;
  /** Epoch ms when polling gives up (expires_at, or start + timeout). */
  expiresAt: number;
  /** Epoch ms of the last completed status request. */
  lastCheckedAt?: number;
  /** HTTP status of the last response, if any. */
  lastHttpStatus?: number;
  /** While pending: set when the last request failed transiently and the poller is backing off. */
  retry?: { reason: SerializedOneLoginError; delayMs: number };
  /** Epoch ms when the next request is due (while pending). */
  nextCheckAt?: number;
  /** For phase 'error': why polling stopped. */
  error?: SerializedOneLoginError;
}

/**
 * The one key of a verification everywhere (polls, store, panel): `userId/verificationId`, plus
 * `/tenant` for a tenant other than "default" (ids and tenant names never contain '/').
 */
export function verificationKey(userId: string, verificationId: string, tenant?: string): string {
  return tenant === undefined || tenant === 'default' ? `${userId}/${verificationId}` : `${userId}/${verificationId}/${tenant}`;
}

/** The key of the verification a state describes. */
export function stateKey(state: Pick<PollState, 'userId' | 'verificationId' | 'tenant'>): string {
  return verificationKey(state.userId, state.verificationId, state.tenant);
}

export function isTerminal(phase: PollPhase): boolean {
  return TERMINAL_PHASES.includes(phase);
}
