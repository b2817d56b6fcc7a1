// Public types of the OneLogin API simulator. server.ts re-exports all of them.

export type SimStatus = 'pending' | 'accepted' | 'rejected';
export type SimBodyShape = 'array' | 'object';

export interface SimulatorOptions {
  /** 0 = any free port (default). The server only ever listens on 127.0.0.1. */
  port?: number;
  /** Default 'sim-client-id'. */
  clientId?: string;
  /** Default 'sim-client-secret'. */
  clientSecret?: string;
  /** Pre-issued valid tokens that never expire on their own. Default ['sim-access-token']. */
  accessTokens?: string[];
  /** expires_in of tokens minted by the token endpoint or mintAccessToken(). Default 36000. */
  tokenTtlSeconds?: number;
  /** Fixed window per simulator (one account). Default 5000 per hour. When exhausted: 429. */
  rateLimit?: { limit: number; windowMs: number };
  /** Body shape of status GETs unless a verification overrides it. Default 'array' (as the docs print). */
  statusBodyShape?: SimBodyShape;
  /** Settle rule given to verifications created by POST /verifications (default: none, they stay pending). */
  defaultSettle?: SimSettle;
  /** One line per answered request: method, path, status, duration. Never headers or bodies. */
  log?: (line: string) => void;
  /** Clock in epoch ms, for tests of expiry, settle afterMs and the rate-limit window. Default Date.now. */
  now?: () => number;
  /** Serve https with this PEM key and certificate (`url` is then https://127.0.0.1:<port>). Default: plain http. */
  tls?: { key: string; cert: string };
  /**
   * The server's clock runs this many ms ahead of `now` (negative: behind): every reply then carries
   * `Date: now() + skew`, as does an HTTP-date Retry-After. Unset: Node's own Date header.
   */
  clockSkewMs?: number;
}

export interface SimSettle {
  to: 'accepted' | 'rejected';
  /** Flip on the Nth status GET of this verification (that GET already shows the new status). */
  afterPolls?: number;
  /** Flip once this many ms have passed since creation (checked lazily when the verification is read). */
  afterMs?: number;
}

export interface SimRequest {
  method: string;
  /** The path as received, still percent-encoded, without the query string. */
  path: string;
  /** The query string as received, including '?', or ''. */
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Epoch ms (simulator clock) when the whole request had arrived. */
  at: number;
  /** The client's port on 127.0.0.1: tells which connection (e.g. a proxy's tunnel) the request came over. */
  remotePort?: number;
  /** The HTTP status answered; undefined while unanswered (and forever for 'hang'). */
  status?: number;
}

export interface SimDevice {
  device_id: string;
  user_display_name: string;
  type_display_name: string;
  auth_factor_name: string;
  default: boolean;
  /** Simulator-only: never serialised. Marks an OTP factor (code checked with PUT). */
  needsOtp?: boolean;
}

export interface SimVerificationInit {
  /** Default crypto.randomUUID(). */
  id?: string;
  /** Default: the user's default device. Not checked against the user's devices. */
  deviceId?: string;
  /** Initial status, default 'pending'. */
  status?: SimStatus;
  settle?: SimSettle;
  /** Overrides the simulator default for this verification's status GET. */
  bodyShape?: SimBodyShape;
  /** Default 120. */
  expiresInSeconds?: number;
  /** The code PUT accepts. Default '123456'. */
  otp?: string;
  /** Consumed FIFO, one per status GET of this verification, after auth and rate limit, before the body is built. */
  faults?: SimFault[];
}

/** The live record of a verification: the simulator updates this object in place. */
export interface SimVerification {
  id: string;
  userId: string;
  deviceId: string;
  status: SimStatus;
  /** Status GETs that reached this verification (faulted ones included). */
  polls: number;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. The server never reports "expired": after this it keeps answering the status it has. */
  expiresAt: string;
}

export type SimFault =
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  | { kind: 'unauthorized' }
  | { kind: 'notFound' }
  | { kind: 'rateLimited'; retryAfter?: string; rateLimitReset?: number; /** Retry-After as an HTTP date this many s after the server's clock. */ retryAfterDateSeconds?: number }
  | { kind: 'serverError'; status?: number }
  | { kind: 'html'; status?: number }
  | { kind: 'malformedJson' }
  | { kind: 'empty'; status?: number }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'trickle'; bytesPerSecond: number }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'huge'; bytes: number }
  | { kind: 'body'; body: string; contentType?: string; status?: number };

export interface SimFaultMatch {
  /** Case-insensitive. */
  method?: string;
  /** A string must equal the path exactly (raw or percent-decoded); a RegExp is tested against the raw path. */
  path?: RegExp | string;
}

export type SimEvent = 'request' | 'response';

export interface Simulator {
  /** 'http://127.0.0.1:PORT' ('https://...' with the `tls` option) */
  readonly url: string;
  readonly port: number;
  /** Client connections open right now (idle keep-alive ones included); 0 once every client let go. */
  readonly openSockets: number;
  /** Closes the server and destroys every open socket (hung ones included); idempotent. */
  close(): Promise<void>;
  /** Adds a user (default devices: OneLogin Protect (default) and OneLogin Voice); with devices, replaces them. */
  addUser(userId: string, devices?: SimDevice[]): void;
  /** Returns the verification id; adds the user if missing; replaces a verification with the same id. */
  addVerification(userId: string, v?: SimVerificationInit): string;
  /** Flips the status now and cancels any settle rule. Throws for an unknown verification. */
  setStatus(userId: string, verificationId: string, status: SimStatus): void;
  getVerification(userId: string, verificationId: string): SimVerification | undefined;
  /** Scripts the verification created by the next POST /verifications (replaces an unused script). */
  setNextTriggerScript(init: SimVerificationInit): void;
  /** The settle rule of verifications created by POST /verifications; undefined = stay pending. */
  setDefaultSettle(settle: SimSettle | undefined): void;
  /** Consumed FIFO by the next matching request(s), before authentication and routing. */
  queueFault(fault: SimFault, match?: SimFaultMatch): void;
  /** The server clock's offset from `now` (see SimulatorOptions.clockSkewMs); undefined: Node's Date header. */
  setClockSkew(ms: number | undefined): void;
  mintAccessToken(): string;
  /** Every token issued so far (pre-issued, minted, or from the token endpoint) becomes invalid. */
  revokeAccessTokens(): void;
  expireAccessToken(token: string): void;
  readonly requests: SimRequest[];
  /** Resolves with the matching requests once >= count (default 1) were seen; rejects on timeout (default 5000 ms) or close(). */
  waitForRequests(predicate: (r: SimRequest) => boolean, count?: number, timeoutMs?: number): Promise<SimRequest[]>;
  clearRequests(): void;
  /** 'request': the request has fully arrived; 'response': its status was just written. */
  on(event: SimEvent, listener: (r: SimRequest) => void): this;
  off(event: SimEvent, listener: (r: SimRequest) => void): this;
}
