/**
 * The OneLogin MFA API v2 client: the calls the extension makes (status, trigger, devices, factors, OTP,
 * rate limit), each checking its input before anything is sent and turning the reply into plain data.
 * Every call is recorded as a redacted Exchange, every failure is a OneLoginError a person can act on.
 * Sending is transport.ts, credentials and tokens authorizedCalls.ts. No `vscode` import.
 */
import { AuthorizedCalls } from './authorizedCalls';
import { parseBaseUrl } from './baseUrl';
import { OneLoginError } from './errors';
import type { RateLimitInfo } from './exchange';
import { validateDeviceId, validateUserId, validateVerificationId } from './ids';
import { jsonOf, listOf, messageOf } from './readReply';
import { REDACTED, SecretScrubber } from './redact';
import { excerpt, idString, parseVerificationStatus, singleRecord, str } from './responses';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, Transport, type HttpResult } from './transport';
import type {
  Device,
  Factor,
  OneLoginApi,
  OneLoginClientOptions,
  OtpResult,
  TriggerVerificationRequest,
  TriggeredVerification,
  VerificationStatusResult,
} from './types';

const MFA_USERS = '/api/2/mfa/users';
const RATE_LIMIT_PATH = '/auth/rate_limit';

/**
 * Exchange ids are unique across reloads too: a body tab or saved panel state restored after a reload
 * names an exchange by id, and must never show another exchange of the new session. So ids start from
 * the clock (100 per ms of the previous session's life would be needed to collide; 15 digits at most).
 * The counter lives in this module, the one the extension loads: a reload starts it afresh.
 */
let lastExchangeId = Date.now() * 100;

export class OneLoginClient implements OneLoginApi {
  private readonly origin: string;
  private readonly transport: Transport;
  private readonly authorized: AuthorizedCalls;

  /** Throws OneLoginError('invalidInput') when the base URL is not acceptable. */
  constructor(private readonly options: OneLoginClientOptions) {
    this.origin = parseBaseUrl(options.baseUrl).origin;
    const scrubber = new SecretScrubber();
    this.transport = new Transport({
      origin: this.origin,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      scrubber,
      nextExchangeId: () => ++lastExchangeId,
      onExchange: (exchange) => this.options.onExchange?.(exchange),
    });
    this.authorized = new AuthorizedCalls(this.transport, scrubber, options);
  }

  get baseOrigin(): string {
    return this.origin;
  }

  async getVerificationStatus(userId: string, verificationId: string, signal?: AbortSignal): Promise<VerificationStatusResult> {
    const user = validateUserId(userId);
    const id = validateVerificationId(verificationId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/verifications/${encodeURIComponent(id)}`;
    return this.authorized.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no verification ${id} for user ${user}. Check both ids: the verification id is the "id" OneLogin returned when the push or call was sent.` }, (res) => {
      const parsed = parseVerificationStatus(jsonOf(res));
      return { id: parsed.id ?? id, status: parsed.status, deviceId: parsed.deviceId, httpStatus: res.status, exchangeId: res.exchange.id };
    });
  }

  async triggerVerification(userId: string, request: TriggerVerificationRequest, signal?: AbortSignal): Promise<TriggeredVerification> {
    const user = validateUserId(userId);
    const deviceId = validateDeviceId(request.deviceId);
    if (request.expiresIn !== undefined && (!Number.isInteger(request.expiresIn) || request.expiresIn < 30 || request.expiresIn > 900)) {
      throw new OneLoginError('invalidInput', `expires_in must be a whole number of seconds from 30 to 900; got ${String(request.expiresIn)}.`);
    }
    if (request.customMessage !== undefined && request.customMessage.length > 160) {
      throw new OneLoginError('invalidInput', `The custom message is ${request.customMessage.length} characters; OneLogin allows at most 160.`);
    }
    const body: Record<string, unknown> = { device_id: deviceId };
    if (request.expiresIn !== undefined) body.expires_in = request.expiresIn;
    if (request.redirectTo) body.redirect_to = request.redirectTo;
    if (request.customMessage) body.custom_message = request.customMessage;
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/verifications`;
    // Anything that fails before the POST leaves (no credentials, no token) proves nothing was sent.
    try {
      await this.authorized.resolveToken(signal);
    } catch (e) {
      throw e instanceof OneLoginError ? new OneLoginError(e.kind, e.message, { httpStatus: e.httpStatus, requestId: e.requestId, code: e.code, refused: true }) : e;
    }
    return this.authorized.call({ method: 'POST', path, body }, signal, { notFound: `OneLogin has no user ${user} with device ${deviceId}. List the user's devices to pick an enrolled one.` }, (res) => {
      const record = singleRecord(jsonOf(res));
      const rawId = record?.id;
      if (!record || rawId === undefined || rawId === null || rawId === '') {
        throw new OneLoginError('invalidResponse', `OneLogin answered the push with HTTP ${res.status} but its reply has no verification id, so it cannot be watched. The push may have been sent.`, { httpStatus: res.status });
      }
      let id: string;
      try {
        // Validated like every id we send: it goes into log lines, the panel and the status URL.
        id = validateVerificationId(rawId);
      } catch {
        throw new OneLoginError('invalidResponse', `OneLogin answered the push with HTTP ${res.status} but its verification id ${quote(rawId)} is not a usable id, so it cannot be watched. The push may have been sent.`, { httpStatus: res.status });
      }
      const out: TriggeredVerification = {
        id,
        deviceId: safeId(validateDeviceId, record.device_id) ?? deviceId,
        userId: safeId(validateUserId, record.user_id) ?? user,
        serverDate: res.headers.date,
        httpStatus: res.status,
        exchangeId: res.exchange.id,
      };
      const expiresAt = record.expires_at;
      if (isUsableTime(expiresAt)) out.expiresAt = expiresAt;
      else if (expiresAt !== undefined && expiresAt !== null) out.unusableExpiresAt = quote(expiresAt);
      return out;
    });
  }

  async listDevices(userId: string, signal?: AbortSignal): Promise<Device[]> {
    const user = validateUserId(userId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/devices`;
    return this.authorized.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no user ${user}. Check the user id.` }, (res) =>
      listOf(res).flatMap((d) => {
        const deviceId = idString(d.device_id);
        if (!deviceId) return [];
        return [{ deviceId, userDisplayName: str(d.user_display_name), typeDisplayName: str(d.type_display_name), authFactorName: str(d.auth_factor_name), isDefault: d.default === true }];
      }),
    );
  }

  async listFactors(userId: string, signal?: AbortSignal): Promise<Factor[]> {
    const user = validateUserId(userId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/factors`;
    return this.authorized.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no user ${user}. Check the user id.` }, (res) =>
      listOf(res).flatMap((f) => {
        const factorId = idString(f.factor_id);
        return factorId ? [{ factorId, name: str(f.name), authFactorName: str(f.auth_factor_name) }] : [];
      }),
    );
  }

  async verifyOtp(userId: string, verificationId: string, otp: string, deviceId?: string, signal?: AbortSignal): Promise<OtpResult> {
    const user = validateUserId(userId);
    const id = validateVerificationId(verificationId);
    const code = (otp ?? '').trim();
    if (!/^[A-Za-z0-9]{4,32}$/.test(code)) {
      throw new OneLoginError('invalidInput', 'The one-time code must be 4 to 32 letters or digits, as the authenticator, SMS, email or voice call gave it.');
    }
    const body: Record<string, unknown> = { otp: code };
    if (deviceId) body.device_id = validateDeviceId(deviceId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/verifications/${encodeURIComponent(id)}`;
    const spec = { method: 'PUT' as const, path, body, recordedBody: { ...body, otp: REDACTED } };
    const context = { notFound: `OneLogin has no verification ${id} for user ${user}.` };
    const interpret = (res: HttpResult): OtpResult => {
      if (res.status === 401) return { accepted: false, httpStatus: 401, message: messageOf(res) ?? 'Authentication Failure', exchangeId: res.exchange.id };
      jsonOf(res, true);
      return { accepted: true, httpStatus: res.status, message: messageOf(res) ?? 'Success', exchangeId: res.exchange.id };
    };
    // No blind retry on 401 here: OneLogin answers 401 both for a wrong code and for a bad token, and
    // every wrong code counts against the user's lockout. A code-free call tells the two apart first.
    const first = { token: '', refreshable: false };
    const firstResult = await this.authorized.call(spec, signal, context, interpret, { retryOn401: false, acceptStatus: [401], used: first });
    if (firstResult.accepted || firstResult.httpStatus !== 401) return firstResult;
    if (await this.tokenAccepted(first.token, signal)) return firstResult; // the token is fine: the code was wrong
    if (!first.refreshable) {
      throw new OneLoginError('auth', 'OneLogin refused the stored access token (it is no longer valid: GET /auth/rate_limit answered 401 too), so the code was not checked. Set a new access token; the code was sent once and will not be sent again by itself.', {
        httpStatus: 401,
        code: 'TOKEN_INVALID',
      });
    }
    // The cached token was stale or revoked: the code was never judged. Mint a new token, send it once more.
    this.authorized.invalidate(first.token);
    const second = { token: '', refreshable: false };
    const secondResult = await this.authorized.call(spec, signal, context, interpret, { retryOn401: false, acceptStatus: [401], used: second });
    if (secondResult.accepted || secondResult.httpStatus !== 401) return secondResult;
    if (await this.tokenAccepted(second.token, signal)) return secondResult;
    throw new OneLoginError('auth', 'OneLogin refused a freshly minted access token, so the code was not checked. Check the API credential (OneLogin MFA: Set API Client Credentials) and its "Manage All" scope.', { httpStatus: 401, code: 'TOKEN_INVALID' });
  }

  /**
   * Whether OneLogin accepts `token` on a call that carries no code (GET /auth/rate_limit). Throws when
   * the answer says neither (network, 5xx, 429): then nobody can tell what the 401 was about.
   */
  private async tokenAccepted(token: string, signal?: AbortSignal): Promise<boolean> {
    let res: HttpResult;
    try {
      res = await this.transport.send({ method: 'GET', path: RATE_LIMIT_PATH, authorization: `Bearer ${token}` }, signal);
    } catch (e) {
      if (e instanceof OneLoginError && e.kind === 'cancelled') throw e;
      const why = e instanceof OneLoginError ? e.message : 'no answer';
      throw new OneLoginError('auth', `OneLogin answered the code with 401, and checking the token to tell a wrong code from a bad token failed (${why}). The code was not sent again.`, { httpStatus: 401, code: 'OTP_401_UNCLEAR' });
    }
    if (res.status === 401) {
      this.transport.publish(res, new OneLoginError('auth', 'The access token is no longer valid (checked after a 401 to a one-time code).', { httpStatus: 401 }));
      return false;
    }
    if (res.status >= 200 && res.status < 300) {
      this.transport.publish(res);
      return true;
    }
    const error = new OneLoginError('auth', `OneLogin answered the code with 401, and the token check answered HTTP ${res.status}: a wrong code cannot be told from a bad token. The code was not sent again.`, { httpStatus: 401, code: 'OTP_401_UNCLEAR' });
    this.transport.publish(res, error);
    throw error;
  }

  async getRateLimit(signal?: AbortSignal): Promise<RateLimitInfo> {
    return this.authorized.call({ method: 'GET', path: RATE_LIMIT_PATH }, signal, {}, (res) => {
      const data = singleRecord(jsonOf(res));
      const num = (k: string): number | undefined => (typeof data?.[k] === 'number' ? (data[k] as number) : undefined);
      const fromBody: RateLimitInfo = { limit: num('X-RateLimit-Limit'), remaining: num('X-RateLimit-Remaining'), resetSeconds: num('X-RateLimit-Reset') };
      return fromBody.limit !== undefined || fromBody.remaining !== undefined ? fromBody : (res.exchange.rateLimit ?? {});
    });
  }
}

/** A value from a reply, quoted for a message: JSON on one plain line, at most 60 characters. */
function quote(v: unknown): string {
  try {
    return excerpt(JSON.stringify(v) ?? String(v), 60);
  } catch {
    return '(unquotable)';
  }
}

function safeId(validate: (v: unknown) => string, v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  try {
    return validate(v);
  } catch {
    return undefined;
  }
}

/** An ISO-style time of reasonable length that Date.parse reads (it goes into log lines and the panel). */
function isUsableTime(v: unknown): v is string {
  return typeof v === 'string' && v.length <= 40 && /^\d{4}-\d{2}-\d{2}[T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?$/.test(v) && Number.isFinite(Date.parse(v));
}
