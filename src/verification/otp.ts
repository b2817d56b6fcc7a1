/**
 * Entering a one-time code (PUT /verifications/{id}), the pure side: argument validation and the
 * outcome texts. A one-time code is short-lived, but it is still never logged, never kept, and never
 * returned in a result. `vscode`-free.
 */
import { formatMessage, type Localize } from '../util/l10n';
import { validateDeviceId, validateUserId, validateVerificationId } from '../onelogin/ids';
import type { PollPhase } from './types';
import type { ResultError } from '../onelogin/errors';
import { isPlainObject } from '../util/values';

export interface OtpArgs {
  userId: string;
  verificationId: string;
  otp: string;
  deviceId?: string;
}

export type ParsedOtpArgs =
  | { kind: 'interactive' }
  | { kind: 'ok'; value: OtpArgs }
  | { kind: 'invalid'; error: ResultError; userId: string; verificationId: string };

const OTP_PATTERN = /^[A-Za-z0-9]{4,32}$/;

/** The code as sent: spaces and dashes people type between groups ("123 456") are dropped. */
export function normalizeOtp(value: string): string {
  return value.replace(/[\s-]+/g, '');
}

/** A message for the code input box, or undefined when the code has an acceptable form. */
export function otpProblem(value: string, t: Localize = formatMessage): string | undefined {
  const code = normalizeOtp(value);
  if (code === '') return t('Enter the one-time code.');
  if (!OTP_PATTERN.test(code)) return t('A one-time code is 4 to 32 letters or digits.');
  return undefined;
}


/** `onelogin-mfa.verifyOtp` arguments: `{ userId, verificationId, otp, deviceId? }`; anything else means "ask". */
export function parseOtpArgs(arg: unknown): ParsedOtpArgs {
  if (!isPlainObject(arg)) return { kind: 'interactive' };
  const raw = (k: string): string => (typeof arg[k] === 'string' || typeof arg[k] === 'number' ? String(arg[k]) : '');
  const invalid = (message: string, code: string): ParsedOtpArgs => ({
    kind: 'invalid',
    error: { kind: 'invalidInput', message, code },
    userId: raw('userId'),
    verificationId: raw('verificationId'),
  });
  let value: OtpArgs;
  try {
    value = { userId: validateUserId(arg.userId), verificationId: validateVerificationId(arg.verificationId), otp: '' };
    if (arg.deviceId !== undefined && arg.deviceId !== null && arg.deviceId !== '') value.deviceId = validateDeviceId(arg.deviceId);
  } catch (e) {
    return invalid(e instanceof Error ? e.message : String(e), 'INVALID_ID');
  }
  // A number has already lost any leading zero ("012345" became 12345): sending it would be a wrong
  // code that counts against the user's lockout, so it is refused, saying why.
  if (typeof arg.otp === 'number') return invalid('otp must be a string such as "012345": as a number, a code loses its leading zeros.', 'INVALID_ARGUMENT');
  const otp = typeof arg.otp === 'string' ? arg.otp : undefined;
  // The message never repeats the code.
  if (otp === undefined || otpProblem(otp)) return invalid('otp must be the one-time code: 4 to 32 letters or digits.', 'INVALID_ARGUMENT');
  value.otp = normalizeOtp(otp);
  return { kind: 'ok', value };
}

/** What verifyOtp returns: never the code. */
export interface OtpCommandResult {
  /** True when OneLogin accepted the code. */
  accepted: boolean;
  /** The verification's phase after the call, as the store shows it. */
  state: PollPhase | 'unknown';
  userId: string;
  verificationId: string;
  deviceId?: string;
  httpStatus?: number;
  /** OneLogin's message ("Success", "Authentication Failure"). */
  message?: string;
  cancelled?: boolean;
  error?: ResultError;
}

/** The notification after a wrong code. */
export function wrongCodeMessage(verificationId: string, httpStatus: number, serverMessage: string, t: Localize = formatMessage): string {
  return t(
    'OneLogin rejected the code for verification {0} (HTTP {1}: {2}). The verification is unchanged; check the code (it may have expired) and try again.',
    verificationId,
    httpStatus,
    serverMessage,
  );
}

export type OutcomeAction = 'enterOtp' | 'sendAgain' | 'pollAgain' | 'showPanel';

/**
 * The buttons offered when a watched verification ends. An expired verification offers the OTP
 * fallback (OneLogin Protect shows a code too, as the best CLI tools use it); one this window sent
 * offers a new push ("Send Again"), which is only possible once the old one is over, as it is here.
 */
export function outcomeActions(phase: PollPhase, opts: { triggered: boolean }): OutcomeAction[] {
  switch (phase) {
    case 'expired':
      return ['enterOtp', opts.triggered ? 'sendAgain' : 'pollAgain', 'showPanel'];
    case 'rejected':
      return opts.triggered ? ['sendAgain', 'showPanel'] : ['showPanel'];
    case 'accepted':
      return ['showPanel'];
    default:
      return [];
  }
}
