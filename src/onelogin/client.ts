/**
 * The OneLogin MFA API v2 client: one axios instance per base URL, every call recorded as a redacted
 * Exchange, every failure turned into a OneLoginError a person can act on. No `vscode` import.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { AbortSwitch } from './abortSwitch';
import { parseBaseUrl } from './baseUrl';
import { OneLoginError } from './errors';
import type { Exchange, RateLimitInfo } from './exchange';
import { validateDeviceId, validateUserId, validateVerificationId } from './ids';
import { proxyRefusedMessage, proxyUnreachableMessage, untrustedCertificateMessage } from './netErrors';
import { REDACTED, SecretScrubber } from './redact';
import {
  embeddedErrorCode,
  excerpt,
  idString,
  kindForStatus,
  parseJson,
  parseRateLimit,
  parseVerificationStatus,
  recordList,
  retryAfterMs,
  serverMessage,
  singleRecord,
  str,
  type JsonParse,
} from './responses';
import { TokenProvider, type MintedToken } from './token';
import type {
  Credentials,
  Device,
  Factor,
  OneLoginApi,
  OneLoginClientOptions,
  OtpResult,
  TriggerVerificationRequest,
  TriggeredVerification,
  VerificationStatusResult,
} from './types';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const USER_AGENT = 'onelogin-mfa-verify-vscode';
const MFA_USERS = '/api/2/mfa/users';
export const TOKEN_PATH = '/auth/oauth2/v2/token';
const RATE_LIMIT_PATH = '/auth/rate_limit';

type Method = 'GET' | 'POST' | 'PUT';

interface RequestSpec {
  method: Method;
  path: string;
  body?: Record<string, unknown>;
  authorization: string;
  /** Secrets the response itself carries (a minted token), scrubbed before it is recorded. */
  secretsIn?: (json: unknown) => (string | undefined)[];
  /** The request body as recorded, when it differs from what is sent (an OTP). */
  recordedBody?: Record<string, unknown>;
}

/** A response of any HTTP status, with its exchange not yet published. */
interface HttpResult {
  exchange: Exchange;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed after secrets were scrubbed: what may be shown. */
  json: JsonParse;
  /** The body parsed as received; only for reading a minted token, never recorded. */
  rawJson: JsonParse;
}

interface CallOptions {
  retryOn401?: boolean;
  acceptStatus?: number[];
  /** Filled with the token the final request carried (the OTP's token check needs it). */
  used?: { token: string; refreshable: boolean };
}

/** Hints that make an error message actionable, per call. */
interface CallContext {
  notFound?: string;
  auth?: string;
}

/**
 * Exchange ids are unique across reloads too: a body tab or saved panel state restored after a reload
 * names an exchange by id, and must never show another exchange of the new session. So ids start from
 * the clock (100 per ms of the previous session's life would be needed to collide; 15 digits at most).
 */
let lastExchangeId = Date.now() * 100;

export class OneLoginClient implements OneLoginApi {
  private readonly http: AxiosInstance;
  private readonly origin: string;
  private readonly scrubber = new SecretScrubber();
  private readonly tokens: TokenProvider;
  private readonly requestTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly https: boolean;
  /** The request headers last recorded, scrubbed: every poll sends the same ones, so they are redacted once. */
  private lastSent: { raw: Record<string, unknown>; recorded: Readonly<Record<string, string>>; version: number } | undefined;

  /** Throws OneLoginError('invalidInput') when the base URL is not acceptable. */
  constructor(private readonly options: OneLoginClientOptions) {
    this.origin = parseBaseUrl(options.baseUrl).origin;
    this.https = this.origin.startsWith('https:');
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.http = createHttp(this.origin, this.maxResponseBytes);
    this.tokens = new TokenProvider((id, secret) => this.mintToken(id, secret));
  }

  get baseOrigin(): string {
    return this.origin;
  }

  async getVerificationStatus(userId: string, verificationId: string, signal?: AbortSignal): Promise<VerificationStatusResult> {
    const user = validateUserId(userId);
    const id = validateVerificationId(verificationId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/verifications/${encodeURIComponent(id)}`;
    return this.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no verification ${id} for user ${user}. Check both ids: the verification id is the "id" OneLogin returned when the push or call was sent.` }, (res) => {
      const parsed = parseVerificationStatus(this.jsonOf(res));
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
      await abortable(this.tokens.resolve(await this.credentials()), signal);
    } catch (e) {
      throw e instanceof OneLoginError ? new OneLoginError(e.kind, e.message, { httpStatus: e.httpStatus, requestId: e.requestId, code: e.code, refused: true }) : e;
    }
    return this.call({ method: 'POST', path, body }, signal, { notFound: `OneLogin has no user ${user} with device ${deviceId}. List the user's devices to pick an enrolled one.` }, (res) => {
      const record = singleRecord(this.jsonOf(res));
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
    return this.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no user ${user}. Check the user id.` }, (res) =>
      this.listOf(res).flatMap((d) => {
        const deviceId = idString(d.device_id);
        if (!deviceId) return [];
        return [{ deviceId, userDisplayName: str(d.user_display_name), typeDisplayName: str(d.type_display_name), authFactorName: str(d.auth_factor_name), isDefault: d.default === true }];
      }),
    );
  }

  async listFactors(userId: string, signal?: AbortSignal): Promise<Factor[]> {
    const user = validateUserId(userId);
    const path = `${MFA_USERS}/${encodeURIComponent(user)}/factors`;
    return this.call({ method: 'GET', path }, signal, { notFound: `OneLogin has no user ${user}. Check the user id.` }, (res) =>
      this.listOf(res).flatMap((f) => {
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
      if (res.status === 401) return { accepted: false, httpStatus: 401, message: this.messageOf(res) ?? 'Authentication Failure', exchangeId: res.exchange.id };
      this.jsonOf(res, true);
      return { accepted: true, httpStatus: res.status, message: this.messageOf(res) ?? 'Success', exchangeId: res.exchange.id };
    };
    // No blind retry on 401 here: OneLogin answers 401 both for a wrong code and for a bad token, and
    // every wrong code counts against the user's lockout. A code-free call tells the two apart first.
    const first = { token: '', refreshable: false };
    const firstResult = await this.call(spec, signal, context, interpret, { retryOn401: false, acceptStatus: [401], used: first });
    if (firstResult.accepted || firstResult.httpStatus !== 401) return firstResult;
    if (await this.tokenAccepted(first.token, signal)) return firstResult; // the token is fine: the code was wrong
    if (!first.refreshable) {
      throw new OneLoginError('auth', 'OneLogin refused the stored access token (it is no longer valid: GET /auth/rate_limit answered 401 too), so the code was not checked. Set a new access token; the code was sent once and will not be sent again by itself.', {
        httpStatus: 401,
        code: 'TOKEN_INVALID',
      });
    }
    // The cached token was stale or revoked: the code was never judged. Mint a new token, send it once more.
    this.tokens.invalidate(first.token);
    const second = { token: '', refreshable: false };
    const secondResult = await this.call(spec, signal, context, interpret, { retryOn401: false, acceptStatus: [401], used: second });
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
      res = await this.send({ method: 'GET', path: RATE_LIMIT_PATH, authorization: `Bearer ${token}` }, signal);
    } catch (e) {
      if (e instanceof OneLoginError && e.kind === 'cancelled') throw e;
      const why = e instanceof OneLoginError ? e.message : 'no answer';
      throw new OneLoginError('auth', `OneLogin answered the code with 401, and checking the token to tell a wrong code from a bad token failed (${why}). The code was not sent again.`, { httpStatus: 401, code: 'OTP_401_UNCLEAR' });
    }
    if (res.status === 401) {
      this.publish(res, new OneLoginError('auth', 'The access token is no longer valid (checked after a 401 to a one-time code).', { httpStatus: 401 }));
      return false;
    }
    if (res.status >= 200 && res.status < 300) {
      this.publish(res);
      return true;
    }
    const error = new OneLoginError('auth', `OneLogin answered the code with 401, and the token check answered HTTP ${res.status}: a wrong code cannot be told from a bad token. The code was not sent again.`, { httpStatus: 401, code: 'OTP_401_UNCLEAR' });
    this.publish(res, error);
    throw error;
  }

  async getRateLimit(signal?: AbortSignal): Promise<RateLimitInfo> {
    return this.call({ method: 'GET', path: RATE_LIMIT_PATH }, signal, {}, (res) => {
      const data = singleRecord(this.jsonOf(res));
      const num = (k: string): number | undefined => (typeof data?.[k] === 'number' ? (data[k] as number) : undefined);
      const fromBody: RateLimitInfo = { limit: num('X-RateLimit-Limit'), remaining: num('X-RateLimit-Remaining'), resetSeconds: num('X-RateLimit-Reset') };
      return fromBody.limit !== undefined || fromBody.remaining !== undefined ? fromBody : (res.exchange.rateLimit ?? {});
    });
  }

  // ---- plumbing ----

  /**
   * Sends an authenticated call, interprets the response, publishes the exchange (with the error, if
   * any) and returns the interpretation. With minted tokens, a 401 gets one fresh token and one retry.
   */
  private async call<T>(spec: Omit<RequestSpec, 'authorization'>, signal: AbortSignal | undefined, context: CallContext, interpret: (res: HttpResult) => T, options: CallOptions = {}): Promise<T> {
    const credentials = await this.credentials();
    const resolved = this.tokens.ready(credentials) ?? (await abortable(this.tokens.resolve(credentials), signal));
    let token = resolved.token;
    let res = await this.send({ ...spec, authorization: `Bearer ${token}` }, signal);
    if (res.status === 401 && resolved.refreshable && options.retryOn401 !== false) {
      this.publish(res, new OneLoginError('auth', 'OneLogin refused the cached access token (401); minting a new one and retrying once.'));
      this.tokens.invalidate(token);
      ({ token } = await abortable(this.tokens.resolve(credentials), signal));
      res = await this.send({ ...spec, authorization: `Bearer ${token}` }, signal);
    }
    try {
      if (!options.acceptStatus?.includes(res.status)) this.throwIfError(res, spec, context);
      const value = interpret(res);
      this.publish(res);
      if (options.used) {
        options.used.token = token;
        options.used.refreshable = resolved.refreshable;
      }
      return value;
    } catch (e) {
      const error = e instanceof OneLoginError ? withRequestId(e, res) : new OneLoginError('invalidResponse', 'OneLogin\'s reply could not be read.');
      this.publish(res, error);
      throw error;
    }
  }

  private async credentials(): Promise<Credentials> {
    const credentials = await this.options.getCredentials();
    const usable = credentials?.kind === 'accessToken' ? !!credentials.accessToken : !!(credentials?.clientId && credentials.clientSecret);
    if (!credentials || !usable) {
      throw new OneLoginError('invalidInput', 'No OneLogin credentials are stored. Set an access token, or API client credentials (client id and secret), first.', { code: 'NO_CREDENTIALS' });
    }
    if (credentials.kind === 'accessToken') this.scrubber.add(credentials.accessToken);
    else this.scrubber.add(credentials.clientId, credentials.clientSecret);
    return credentials;
  }

  /** POST /auth/oauth2/v2/token with the documented `client_id:..., client_secret:...` header. */
  private async mintToken(clientId: string, clientSecret: string): Promise<MintedToken> {
    const res = await this.send({
      method: 'POST',
      path: TOKEN_PATH,
      body: { grant_type: 'client_credentials' },
      authorization: `client_id:${clientId}, client_secret:${clientSecret}`,
      secretsIn: (json) => {
        const record = singleRecord(json);
        return [str(record?.access_token), str(record?.refresh_token)];
      },
    });
    try {
      this.throwIfError(res, { method: 'POST', path: TOKEN_PATH }, {
        auth: 'Check the client id and secret (OneLogin MFA: Set API Client Credentials), and that the API credential still exists.',
      });
      this.jsonOf(res);
      const record = singleRecord(res.rawJson.ok ? res.rawJson.value : undefined);
      const accessToken = str(record?.access_token);
      if (!accessToken) throw new OneLoginError('invalidResponse', 'OneLogin\'s token reply has no access_token.');
      const expiresIn = typeof record?.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : 36_000;
      this.publish(res);
      return { accessToken, expiresIn };
    } catch (e) {
      const error = e instanceof OneLoginError ? withRequestId(e, res) : new OneLoginError('invalidResponse', 'OneLogin\'s token reply could not be read.');
      this.publish(res, error);
      throw error;
    }
  }

  /** The JSON body of a successful response; invalidResponse when there is none. */
  private jsonOf(res: HttpResult, allowEmpty = false): unknown {
    if (res.json.ok) return res.json.value;
    if (allowEmpty && res.text.trim() === '') return undefined;
    throw new OneLoginError('invalidResponse', `OneLogin answered HTTP ${res.status} but the body is ${describeBody(res)}, not JSON. A proxy or gateway may be in the way; check the base URL.`, { httpStatus: res.status });
  }

  private listOf(res: HttpResult): Record<string, unknown>[] {
    const list = recordList(this.jsonOf(res));
    if (!list) throw new OneLoginError('invalidResponse', 'OneLogin\'s reply is not a list.', { httpStatus: res.status });
    return list;
  }

  private messageOf(res: HttpResult): string | undefined {
    return res.json.ok ? serverMessage(res.json.value).message : undefined;
  }

  private throwIfError(res: HttpResult, spec: Pick<RequestSpec, 'method' | 'path'>, context: CallContext): void {
    const embedded = res.json.ok ? embeddedErrorCode(res.json.value) : undefined;
    if (res.status >= 200 && res.status < 300 && embedded === undefined) return;
    const status = embedded ?? res.status;
    const baseDetails = { httpStatus: res.status, requestId: res.exchange.requestId };
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.location ? ` to ${safeOrigin(res.headers.location)}` : '';
      throw new OneLoginError('invalidResponse', `OneLogin answered ${spec.method} ${spec.path} with a redirect (HTTP ${res.status})${location}. Redirects are not followed, so the token is never sent elsewhere; check the base URL.`, baseDetails);
    }
    const kind = kindForStatus(status);
    const { message, name } = res.json.ok ? serverMessage(res.json.value) : {};
    const said = message ? `HTTP ${status}${name ? ` ${name}` : ''}: ${message}` : `HTTP ${status}, ${describeBody(res)}`;
    // Only a 4xx that carries an error body proves OneLogin refused the call (a proxy's page does not).
    const refused = res.status >= 400 && res.status < 500 && (message !== undefined || embedded !== undefined);
    const details = { ...baseDetails, refused };
    switch (kind) {
      case 'auth':
        throw new OneLoginError(kind, `OneLogin refused the credentials (${said}). ${context.auth ?? 'Set a new access token or API client credentials; the API credential needs the "Manage All" scope.'}`, details);
      case 'forbidden':
        throw new OneLoginError(kind, `OneLogin does not allow this call with these credentials (${said}). The API credential needs the "Manage All" scope.`, details);
      case 'notFound':
        throw new OneLoginError(kind, `${context.notFound ?? `OneLogin found nothing at ${spec.path}.`} (${said})`, details);
      case 'rateLimited': {
        const wait = retryAfterMs(res.headers);
        const hint = wait !== undefined ? ` It asks to wait ${Math.ceil(wait / 1000)} s.` : '';
        throw new OneLoginError(kind, `OneLogin's rate limit is reached (${said}).${hint}`, { ...details, retryAfterMs: wait });
      }
      case 'server':
        throw new OneLoginError(kind, `OneLogin had a server error (${said}). Try again shortly${status === 500 ? '; if it persists, the API credential\'s owner may have been deleted' : ''}.`, details);
      default:
        throw new OneLoginError(kind, `OneLogin answered ${spec.method} ${spec.path} with ${said}.`, details);
    }
  }

  /**
   * One HTTP request with a hard deadline (a trickling body cannot stretch it) and the caller's
   * cancel. Returns any HTTP response; throws OneLoginError when none arrived. Failed attempts are
   * published here; responses are published by the caller once interpreted.
   */
  private async send(spec: RequestSpec, signal?: AbortSignal): Promise<HttpResult> {
    if (signal?.aborted) throw new OneLoginError('cancelled', 'The request was cancelled.');
    // Not an AbortController: a class instance (axios copies plain objects when it merges a config).
    const controller = new AbortSwitch();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.requestTimeoutMs);
    const onCancel = (): void => controller.abort();
    signal?.addEventListener('abort', onCancel, { once: true });

    const exchange = this.newExchange(spec);
    const started = performance.now();
    const headers: Record<string, string> = { Authorization: spec.authorization };
    if (spec.body) headers['Content-Type'] = 'application/json';
    try {
      const response = await this.http.request<string>({ method: spec.method, url: spec.path, data: spec.body ? JSON.stringify(spec.body) : undefined, headers, signal: controller });
      exchange.durationMs = Math.round(performance.now() - started);
      const result = this.recordResponse(exchange, response, spec);
      if (this.https && arrivedInPlaintext(response.request)) {
        // Not OneLogin's answer: the proxy refused the tunnel, and VS Code's proxy agent replays its reply.
        const error = new OneLoginError('network', proxyRefusedMessage(result.status, this.origin, `${spec.method} ${spec.path}`), { httpStatus: result.status, code: 'PROXY_REFUSED' });
        this.publish(result, error);
        throw error;
      }
      return result;
    } catch (e) {
      if (e instanceof OneLoginError) throw e; // already published above
      exchange.durationMs = Math.round(performance.now() - started);
      exchange.requestHeaders = this.recordRequestHeaders(sentHeaders((e as { request?: unknown }).request) ?? { ...headers, Accept: 'application/json' });
      const error = this.transportError(e, { timedOut, cancelled: !!signal?.aborted, spec });
      if (error.code === 'BODY_TOO_LARGE') this.recordCutResponse(exchange, (e as { request?: unknown }).request);
      exchange.error = { kind: error.kind, message: error.message };
      this.emit(exchange);
      throw error;
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onCancel);
    }
  }

  private newExchange(spec: RequestSpec): Exchange {
    const recorded = spec.recordedBody ?? spec.body;
    return {
      id: ++lastExchangeId,
      startedAt: new Date().toISOString(),
      method: spec.method,
      origin: this.origin,
      path: spec.path,
      requestHeaders: {},
      requestBody: recorded ? this.scrubber.scrub(JSON.stringify(recorded)) : undefined,
      responseHeaders: {},
      bodyText: '',
      bodyTruncated: false,
      isJson: false,
      durationMs: 0,
      sizeBytes: 0,
    };
  }

  private recordResponse(exchange: Exchange, response: AxiosResponse<string>, spec: RequestSpec): HttpResult {
    const raw = typeof response.data === 'string' ? response.data : '';
    const rawJson = parseJson(raw);
    if (spec.secretsIn && rawJson.ok) this.scrubber.add(...spec.secretsIn(rawJson.value));
    const text = this.scrubber.scrub(raw);
    const json = text === raw ? rawJson : parseJson(text);
    const headers = flattenHeaders(response.headers, this.scrubber);
    exchange.requestHeaders = this.recordRequestHeaders(sentHeaders(response.request) ?? {});
    exchange.status = response.status;
    exchange.statusText = response.statusText;
    exchange.responseHeaders = headers;
    exchange.bodyText = text;
    exchange.isJson = json.ok;
    exchange.json = json.ok ? json.value : undefined;
    exchange.sizeBytes = Buffer.byteLength(raw, 'utf8');
    // Quoted in log lines and error messages: one plain line (the panel still shows the raw header).
    exchange.requestId = headers['x-request-id'] === undefined ? undefined : excerpt(headers['x-request-id'], 100) || undefined;
    exchange.rateLimit = parseRateLimit(headers);
    return { exchange, status: response.status, headers, text, json, rawJson };
  }

  /**
   * The headers as sent, scrubbed. Polls send the same headers every time: the previous record is shared
   * (frozen) while they and the known secrets are unchanged, instead of redacting them again per request.
   */
  private recordRequestHeaders(raw: Record<string, unknown>): Readonly<Record<string, string>> {
    const last = this.lastSent;
    if (last && last.version === this.scrubber.version && sameRecord(last.raw, raw)) return last.recorded;
    const recorded = Object.freeze(flattenHeaders(raw, this.scrubber));
    this.lastSent = { raw, recorded, version: this.scrubber.version };
    return recorded;
  }

  /**
   * A reply cut at the size limit still had a status and headers: record them, and the body as cut with
   * its size (Content-Length, else at least the limit), so the panel shows "cut", not "No response".
   */
  private recordCutResponse(exchange: Exchange, request: unknown): void {
    const res = (request as { res?: { statusCode?: unknown; statusMessage?: unknown; headers?: unknown } } | undefined)?.res;
    if (!res || typeof res.statusCode !== 'number') return;
    const headers = flattenHeaders(res.headers, this.scrubber);
    exchange.status = res.statusCode;
    if (typeof res.statusMessage === 'string') exchange.statusText = res.statusMessage;
    exchange.responseHeaders = headers;
    exchange.bodyTruncated = true;
    const length = Number(headers['content-length']);
    exchange.sizeBytes = Number.isSafeInteger(length) && length > this.maxResponseBytes ? length : this.maxResponseBytes;
    exchange.requestId = headers['x-request-id'] === undefined ? undefined : excerpt(headers['x-request-id'], 100) || undefined;
    exchange.rateLimit = parseRateLimit(headers);
  }

  private publish(res: HttpResult, error?: OneLoginError): void {
    if (error) res.exchange.error = { kind: error.kind, message: error.message };
    this.emit(res.exchange);
  }

  /**
   * Hands an exchange to onExchange. A listener that throws (say, a view that cannot lay out a hostile
   * body) must not change what the call returns, nor turn a result into an error that is not a OneLoginError.
   */
  private emit(exchange: Exchange): void {
    try {
      this.options.onExchange?.(exchange);
    } catch {
      // The listener's failure is the listener's; the exchange and the call's outcome stand.
    }
  }

  /** Maps an axios failure to a OneLoginError by its code only: the raw error's config holds the token. */
  private transportError(e: unknown, how: { timedOut: boolean; cancelled: boolean; spec: RequestSpec }): OneLoginError {
    const what = `${how.spec.method} ${how.spec.path}`;
    if (how.cancelled) return new OneLoginError('cancelled', `${what} was cancelled.`);
    if (how.timedOut) {
      return new OneLoginError('timeout', `OneLogin (${this.origin}) did not answer ${what} within ${fmtSeconds(this.requestTimeoutMs)}. Check the network, or allow more time with the request timeout setting.`);
    }
    const code = (e as { code?: unknown }).code;
    const message = String((e as { message?: unknown }).message ?? '');
    if (/maxContentLength/i.test(message)) {
      return new OneLoginError('invalidResponse', `OneLogin's reply to ${what} was larger than ${Math.round(this.maxResponseBytes / 1048576)} MiB and was not read.`, { code: 'BODY_TOO_LARGE' });
    }
    const untrusted = typeof code === 'string' ? untrustedCertificateMessage(code, this.origin, what) : undefined;
    if (untrusted) return new OneLoginError('network', untrusted, { code: code as string });
    const noProxy = proxyUnreachableMessage(message, this.origin, what);
    if (noProxy) return new OneLoginError('network', noProxy, { code: 'PROXY_UNREACHABLE' });
    const hints: Record<string, string> = {
      ECONNREFUSED: 'nothing is listening there; check the base URL',
      ENOTFOUND: 'the host name does not resolve; check the base URL (https://<subdomain>.onelogin.com)',
      EAI_AGAIN: 'the host name could not be resolved right now; check your network or DNS',
      ECONNRESET: 'the connection was reset before the reply was complete',
      EHOSTUNREACH: 'the host is unreachable; check your network',
      ENETUNREACH: 'the network is unreachable; check your connection',
      ETIMEDOUT: 'the connection timed out; check your network or proxy',
      EPROTO: 'the TLS handshake failed; is the base URL really https?',
      ERR_BAD_RESPONSE: 'the reply was cut off or malformed',
    };
    const codeText = typeof code === 'string' ? code : 'network error';
    const hint = (typeof code === 'string' && hints[code]) || (/aborted|socket hang up/i.test(message) ? 'the connection closed before the reply was complete' : 'check the base URL, your network and any proxy');
    return new OneLoginError('network', `Could not reach OneLogin at ${this.origin} for ${what} (${codeText}): ${hint}.`, { code: typeof code === 'string' ? code : undefined });
  }
}

/**
 * The client's one axios instance for an origin (exported for the benchmark's "axios alone" floor).
 */
export function createHttp(origin: string, maxResponseBytes: number): AxiosInstance {
  const http = axios.create({
    baseURL: origin,
    allowAbsoluteUrls: false, // a path can never point the token at another host
    maxRedirects: 0, // a redirect would carry the Authorization header elsewhere
    maxContentLength: maxResponseBytes,
    maxBodyLength: 64 * 1024,
    responseType: 'text',
    transformResponse: [(data: unknown) => data], // keep the raw text: the panel shows it verbatim
    transformRequest: [(data: unknown) => data], // bodies are JSON text already (axios would parse them again)
    validateStatus: () => true, // every status is interpreted here, not thrown by axios
    proxy: false, // VS Code's own proxy support patches Node's http(s) agents
  });
  // Flat defaults instead of axios's per-method buckets (common, get, post, ...): axios deep-merges those
  // into every request's config, about a quarter of its own CPU per call. Nothing here uses them.
  http.defaults.headers = { Accept: 'application/json', 'User-Agent': USER_AGENT } as unknown as typeof http.defaults.headers;
  return http;
}

function withRequestId(e: OneLoginError, res: HttpResult): OneLoginError {
  if (e.requestId || !res.exchange.requestId) return e;
  return new OneLoginError(e.kind, `${e.message} [x-request-id ${res.exchange.requestId}]`, {
    httpStatus: e.httpStatus ?? res.status,
    requestId: res.exchange.requestId,
    retryAfterMs: e.retryAfterMs,
    code: e.code,
    refused: e.refused,
  });
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

function describeBody(res: HttpResult): string {
  if (res.text.trim() === '') return 'empty';
  const type = (res.headers['content-type'] ?? 'no content type').split(';')[0];
  return `${type}: "${excerpt(res.text)}"`;
}

function fmtSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function safeOrigin(location: string): string {
  try {
    return new URL(location).host || 'another path';
  } catch {
    return 'an unreadable location';
  }
}

/**
 * Flattens a headers object (axios's AxiosHeaders, Node's) into lowercase name -> string value, scrubbed
 * in the same pass when a scrubber is given. AxiosHeaders keeps each header as an own property, so it is
 * read directly (its toJSON() would copy them once more).
 */
export function flattenHeaders(headers: unknown, scrubber?: SecretScrubber): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const source = headers as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    const v = source[k];
    if (v === undefined || v === null || v === false) continue; // what AxiosHeaders.toJSON() drops
    const name = k.toLowerCase();
    const value = Array.isArray(v) ? v.map(String).join(', ') : String(v);
    out[name] = scrubber ? scrubber.scrubHeader(name, value) : value;
  }
  return out;
}

function sameRecord(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** True when the response came over a socket without TLS: for an https origin, not the origin's answer. */
function arrivedInPlaintext(request: unknown): boolean {
  const socket = (request as { socket?: { encrypted?: unknown } | null } | undefined)?.socket;
  return !!socket && socket.encrypted !== true;
}

/** The headers Node actually sent, from the ClientRequest axios exposes (lowercase names; not flattened). */
function sentHeaders(request: unknown): Record<string, unknown> | undefined {
  const getHeaders = (request as { getHeaders?: unknown } | undefined)?.getHeaders;
  if (typeof getHeaders !== 'function') return undefined;
  const sent: unknown = (getHeaders as () => unknown).call(request);
  return sent && typeof sent === 'object' ? (sent as Record<string, unknown>) : undefined;
}

/** Awaits `promise` but gives up with 'cancelled' when the signal fires. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new OneLoginError('cancelled', 'The request was cancelled.'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new OneLoginError('cancelled', 'The request was cancelled.'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
