/**
 * The API layer's public shapes. Everything here is plain data, normalised from OneLogin's bodies:
 * ids are opaque strings, field names are camelCase.
 */
import type { ExchangeListener, RateLimitInfo } from './exchange';

/** The statuses OneLogin returns for a verification. */
export type VerificationStatus = 'pending' | 'accepted' | 'rejected';

/** What one status call returned, normalised (array or object body, ids as strings). */
export interface VerificationStatusResult {
  id: string;
  status: VerificationStatus;
  deviceId?: string;
  /** HTTP status of the response. */
  httpStatus: number;
  /** Exchange id of the response this came from (see Exchange.id). */
  exchangeId: number;
}

/** Either a ready access token, or an API credential pair the client mints tokens from. */
export type Credentials =
  | { kind: 'accessToken'; accessToken: string }
  | { kind: 'clientCredentials'; clientId: string; clientSecret: string };

export interface OneLoginClientOptions {
  /** Validated with parseBaseUrl(); https, or http on a loopback host only. */
  baseUrl: string;
  /** Read before every call, so credentials changed in SecretStorage apply at once. */
  getCredentials: () => Promise<Credentials | undefined>;
  /** Whole-request deadline in ms (connect + headers + body). Default 10 000. */
  requestTimeoutMs?: number;
  /** Largest response body accepted, in bytes. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Receives every exchange, token requests included, already redacted. */
  onExchange?: ExchangeListener;
}

/** An enrolled factor (GET /devices). */
export interface Device {
  deviceId: string;
  userDisplayName?: string;
  typeDisplayName?: string;
  authFactorName?: string;
  isDefault: boolean;
}

/** A factor the user may enroll (GET /factors). */
export interface Factor {
  factorId: string;
  name?: string;
  authFactorName?: string;
}

export interface TriggerVerificationRequest {
  deviceId: string;
  /** Seconds, 30..900 in the UI; OneLogin defaults to 120. */
  expiresIn?: number;
  redirectTo?: string;
  /** At most 160 characters. */
  customMessage?: string;
}

/** The 201 reply of POST /verifications. */
export interface TriggeredVerification {
  id: string;
  deviceId?: string;
  userId?: string;
  /** ISO time after which the verification can no longer be accepted, when OneLogin says (validated). */
  expiresAt?: string;
  /** OneLogin sent an expires_at that is not a usable time: what it sent, quoted (one plain line). */
  unusableExpiresAt?: string;
  /** The reply's `Date` header (server clock), to tell clock skew from a wrong expires_at. */
  serverDate?: string;
  httpStatus: number;
  exchangeId: number;
}

/** The reply of PUT /verifications/{id} (an OTP). A wrong code is a result, not an exception. */
export interface OtpResult {
  accepted: boolean;
  httpStatus: number;
  /** OneLogin's message, e.g. "Success" or "Authentication Failure". */
  message: string;
  exchangeId: number;
}

/** What the poller and the UI need from the API; OneLoginClient implements it, tests may fake it. */
export interface OneLoginApi {
  getVerificationStatus(userId: string, verificationId: string, signal?: AbortSignal): Promise<VerificationStatusResult>;
  triggerVerification(userId: string, request: TriggerVerificationRequest, signal?: AbortSignal): Promise<TriggeredVerification>;
  listDevices(userId: string, signal?: AbortSignal): Promise<Device[]>;
  listFactors(userId: string, signal?: AbortSignal): Promise<Factor[]>;
  verifyOtp(userId: string, verificationId: string, otp: string, deviceId?: string, signal?: AbortSignal): Promise<OtpResult>;
  getRateLimit(signal?: AbortSignal): Promise<RateLimitInfo>;
}
