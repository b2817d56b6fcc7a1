// A local OneLogin API simulator: real HTTP on 127.0.0.1, the documented MFA v2 calls, scriptable faults.
// Cheap per request (maps, no timers unless a fault asks for one) so benchmarks can hammer it.

import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { bearerToken, clientCredentials, TokenStore, type IssuedToken } from './auth';
import { deliver, sendHuge, Timers, type Wire } from './delivery';
import { RateLimiter } from './rateLimit';
import {
  badRequest,
  faultAction,
  json,
  namedError,
  notFound,
  statusError,
  success,
  tooManyRequests,
  unauthorized,
  validationError,
  type Delivery,
  type FaultAction,
  type Reply,
} from './replies';
import type {
  SimBodyShape,
  SimDevice,
  SimEvent,
  SimFault,
  SimFaultMatch,
  SimRequest,
  SimSettle,
  SimStatus,
  SimVerification,
  SimVerificationInit,
  Simulator,
  SimulatorOptions,
} from './types';

export type * from './types';

const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
const DEFAULT_EXPIRES_IN = 120;
const MAX_EXPIRES_IN = 900;
const MAX_CUSTOM_MESSAGE = 160;
const ACCOUNT_ID = 555555;
const FIRST_DEVICE_ID = 3919988; // the device id printed in the docs' example

/** Factors a user may enroll (GET /factors); the same list for every user. */
const FACTORS = [
  { factor_id: 227, name: 'OneLogin Protect', auth_factor_name: 'OneLogin Protect' },
  { factor_id: 228, name: 'OneLogin Voice', auth_factor_name: 'OneLogin Voice' },
  { factor_id: 229, name: 'OneLogin SMS', auth_factor_name: 'OneLogin SMS' },
  { factor_id: 230, name: 'Authenticator', auth_factor_name: 'Google Authenticator' },
];

interface VerificationState {
  record: SimVerification;
  createdAtMs: number;
  settle: SimSettle | undefined;
  bodyShape: SimBodyShape | undefined;
  otp: string;
  faults: SimFault[];
}

interface UserState {
  devices: SimDevice[];
  verifications: Map<string, VerificationState>;
}

interface Waiter {
  predicate: (r: SimRequest) => boolean;
  count: number;
  matched: Set<SimRequest>;
  resolve: (r: SimRequest[]) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

/** What a route answers; a status GET may also hand back the verification's next scripted fault. */
interface Outcome {
  reply: Reply;
  fault?: SimFault;
}

interface Incoming {
  rec: SimRequest;
  /** Percent-decoded path segments; undefined when the path has a broken escape. */
  segments: string[] | undefined;
  authorization: string | undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map((s) => (s.includes('%') ? decodeURIComponent(s) : s));
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Ids may arrive as JSON numbers or strings; the simulator keeps them as strings. */
function idString(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function matches(match: SimFaultMatch, rec: SimRequest): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== rec.method) return false;
  const p = match.path;
  if (p === undefined) return true;
  if (typeof p === 'string') return p === rec.path || p === safeDecode(rec.path);
  p.lastIndex = 0; // a /g regex is stateful
  return p.test(rec.path);
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

class SimulatorImpl implements Simulator {
  readonly requests: SimRequest[] = [];
  private readonly server: http.Server | https.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Timers();
  private readonly events = new EventEmitter();
  private readonly waiters = new Set<Waiter>();
  private readonly users = new Map<string, UserState>();
  private readonly faultQueue: { fault: SimFault; match: SimFaultMatch }[] = [];
  private readonly tokens: TokenStore;
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private nextDeviceId = FIRST_DEVICE_ID;
  private nextTrigger: SimVerificationInit | undefined;
  private defaultSettle: SimSettle | undefined;
  private closing: Promise<void> | undefined;
  private boundPort = 0;
  private clockSkewMs: number | undefined;

  constructor(private readonly opts: SimulatorOptions) {
    this.now = opts.now ?? Date.now;
    this.tokens = new TokenStore(this.now, (opts.tokenTtlSeconds ?? 36000) * 1000, opts.accessTokens ?? ['sim-access-token']);
    const rl = opts.rateLimit ?? { limit: 5000, windowMs: 3_600_000 };
    this.limiter = new RateLimiter(rl.limit, rl.windowMs, this.now);
    this.defaultSettle = opts.defaultSettle;
    this.clockSkewMs = opts.clockSkewMs;
    this.events.setMaxListeners(0);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.onRequest(req, res);
    // With `tls`, the same API over https (the network tests: a company CA, a proxy's CONNECT tunnel).
    this.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 0, '127.0.0.1', () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  /** Still known after close(), so a test can show that the port refuses connections. */
  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `${this.opts.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`;
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  // ---- scripting API -------------------------------------------------------------------------

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private shutdown(): Promise<void> {
    this.timers.cancelAll();
    for (const w of [...this.waiters]) this.settleWaiter(w, new Error('simulator closed'));
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      // Keep-alive, hung and trickling connections would hold server.close() open: cut them.
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  addUser(userId: string, devices?: SimDevice[]): void {
    const user = this.users.get(userId);
    if (user) {
      if (devices) user.devices = devices.map((d) => ({ ...d }));
      return;
    }
    this.users.set(userId, { devices: devices ? devices.map((d) => ({ ...d })) : this.defaultDevices(), verifications: new Map() });
  }

  private defaultDevices(): SimDevice[] {
    const protect = String(this.nextDeviceId++);
    const voice = String(this.nextDeviceId++);
    return [
      { device_id: protect, user_display_name: 'My iPhone', type_display_name: 'OneLogin Protect', auth_factor_name: 'OneLogin Protect', default: true },
      { device_id: voice, user_display_name: '+1 XXX-XXX-0142', type_display_name: 'OneLogin Voice', auth_factor_name: 'OneLogin Voice', default: false },
    ];
  }

  private ensureUser(userId: string): UserState {
    this.addUser(userId);
    return this.users.get(userId) as UserState;
  }

  addVerification(userId: string, v: SimVerificationInit = {}): string {
    return this.createVerification(userId, v).record.id;
  }

  private createVerification(userId: string, init: SimVerificationInit): VerificationState {
    const user = this.ensureUser(userId);
    const now = this.now();
    const id = init.id ?? randomUUID();
    const device = user.devices.find((d) => d.default) ?? user.devices[0];
    const state: VerificationState = {
      record: {
        id,
        userId,
        deviceId: init.deviceId ?? device?.device_id ?? '',
        status: init.status ?? 'pending',
        polls: 0,
        // Times as the server's clock (skewed, if scripted) writes them.
        createdAt: iso(now + (this.clockSkewMs ?? 0)),
        expiresAt: iso(now + (this.clockSkewMs ?? 0) + (init.expiresInSeconds ?? DEFAULT_EXPIRES_IN) * 1000),
      },
      createdAtMs: now,
      settle: init.settle,
      bodyShape: init.bodyShape,
      otp: init.otp ?? '123456',
      faults: [...(init.faults ?? [])],
    };
    user.verifications.set(id, state);
    return state;
  }

  private findVerification(userId: string, verificationId: string): VerificationState | undefined {
    return this.users.get(userId)?.verifications.get(verificationId);
  }

  setStatus(userId: string, verificationId: string, status: SimStatus): void {
    const v = this.findVerification(userId, verificationId);
    if (!v) throw new Error(`simulator: no verification ${verificationId} for user ${userId}`);
    v.record.status = status;
    v.settle = undefined; // an explicit flip wins over any script
  }

  getVerification(userId: string, verificationId: string): SimVerification | undefined {
    const v = this.findVerification(userId, verificationId);
    if (v) this.settleByTime(v);
    return v?.record;
  }

  setNextTriggerScript(init: SimVerificationInit): void {
    this.nextTrigger = init;
  }

  setDefaultSettle(settle: SimSettle | undefined): void {
    this.defaultSettle = settle;
  }

  queueFault(fault: SimFault, match: SimFaultMatch = {}): void {
    this.faultQueue.push({ fault, match });
  }

  mintAccessToken(): string {
    return this.tokens.mint().token;
  }

  setClockSkew(ms: number | undefined): void {
    this.clockSkewMs = ms;
  }

  /** The server's own clock: `now` plus the scripted skew. */
  private serverNow(): number {
    return this.now() + (this.clockSkewMs ?? 0);
  }

  revokeAccessTokens(): void {
    this.tokens.revokeAll();
  }

  expireAccessToken(token: string): void {
    this.tokens.expire(token);
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  on(event: SimEvent, listener: (r: SimRequest) => void): this {
    this.events.on(event, listener);
    return this;
  }

  off(event: SimEvent, listener: (r: SimRequest) => void): this {
    this.events.off(event, listener);
    return this;
  }

  waitForRequests(predicate: (r: SimRequest) => boolean, count = 1, timeoutMs = 5000): Promise<SimRequest[]> {
    if (this.closing) return Promise.reject(new Error('simulator closed'));
    return new Promise((resolve, reject) => {
      const matched = new Set(this.requests.filter(predicate));
      if (matched.size >= count) {
        resolve([...matched]);
        return;
      }
      const waiter: Waiter = { predicate, count, matched, resolve, reject };
      waiter.timer = this.timers.after(timeoutMs, () =>
        this.settleWaiter(waiter, new Error(`waitForRequests: saw ${waiter.matched.size} of ${count} matching requests within ${timeoutMs} ms`)),
      );
      this.waiters.add(waiter);
    });
  }

  private settleWaiter(w: Waiter, error?: Error): void {
    if (!this.waiters.delete(w)) return;
    if (w.timer) this.timers.cancel(w.timer);
    if (error) w.reject(error);
    else w.resolve([...w.matched]);
  }

  /** Re-checked on 'request' and on 'response', so predicates on `status` work too. */
  private notify(event: SimEvent, rec: SimRequest): void {
    if (this.waiters.size > 0) this.checkWaiters(rec);
    this.events.emit(event, rec);
  }

  private checkWaiters(rec: SimRequest): void {
    for (const w of [...this.waiters]) {
      if (w.matched.has(rec)) continue;
      let hit: boolean;
      try {
        hit = w.predicate(rec);
      } catch (e) {
        this.settleWaiter(w, e instanceof Error ? e : new Error(String(e)));
        continue;
      }
      if (hit) w.matched.add(rec);
      if (w.matched.size >= w.count) this.settleWaiter(w);
    }
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    // A client that goes away mid-reply is normal here (timeouts, aborts, size limits): not an error.
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => this.respond(req, res, Buffer.concat(chunks).toString('utf8'), size > MAX_REQUEST_BODY_BYTES));
  }

  private record(req: http.IncomingMessage, body: string): SimRequest {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rec: SimRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: q < 0 ? raw : raw.slice(0, q),
      query: q < 0 ? '' : raw.slice(q),
      headers: req.headers,
      body,
      at: this.now(),
      remotePort: req.socket.remotePort,
    };
    this.requests.push(rec);
    this.notify('request', rec);
    return rec;
  }

  private respond(req: http.IncomingMessage, res: http.ServerResponse, body: string, tooLarge: boolean): void {
    const rec = this.record(req, body);
    const started = Date.now();
    const wire: Wire = {
      res,
      timers: this.timers,
      baseHeaders: () => this.baseHeaders(),
      onStatus: (status) => {
        rec.status = status;
        this.notify('response', rec);
      },
    };
    if (this.opts.log) {
      const log = this.opts.log;
      res.once('close', () => log(`${rec.method} ${rec.path} ${rec.status ?? '-'} ${Date.now() - started}ms`));
    }

    // Faults queued with queueFault() act in front of the API, like a proxy: before auth and routing.
    let delivery: Delivery = { mode: 'now' };
    const queued = this.takeQueuedFault(rec);
    if (queued) {
      const action = faultAction(queued, this.serverNow());
      if (action.kind !== 'deliver') return this.act(wire, action, delivery);
      delivery = action.delivery;
    }
    if (tooLarge) return deliver(wire, namedError(413, 'PayloadTooLarge', 'Request body too large'), delivery);

    const outcome = this.route({ rec, segments: decodeSegments(rec.path), authorization: firstHeader(req.headers.authorization) });
    if (!outcome.fault) return deliver(wire, outcome.reply, delivery);
    const action = faultAction(outcome.fault, this.serverNow());
    if (action.kind === 'deliver') return deliver(wire, outcome.reply, action.delivery);
    this.act(wire, action, delivery);
  }

  private act(wire: Wire, action: FaultAction, delivery: Delivery): void {
    switch (action.kind) {
      case 'reply':
        return deliver(wire, action.reply, delivery);
      case 'huge':
        return sendHuge(wire, action.bytes);
      case 'hang':
        return; // the socket stays open until the client gives up or close() cuts it
      case 'deliver':
        return; // handled by the caller, which has the normal reply
    }
  }

  private takeQueuedFault(rec: SimRequest): SimFault | undefined {
    const i = this.faultQueue.findIndex((q) => matches(q.match, rec));
    return i < 0 ? undefined : this.faultQueue.splice(i, 1)[0].fault;
  }

  private baseHeaders(): Record<string, string> {
    const rl = this.limiter.state();
    return {
      ...(this.clockSkewMs === undefined ? {} : { date: new Date(this.serverNow()).toUTCString() }),
      'x-request-id': randomUUID(),
      'x-ratelimit-limit': String(rl.limit),
      'x-ratelimit-remaining': String(rl.remaining),
      'x-ratelimit-reset': String(rl.resetSeconds),
    };
  }

  // ---- routes ----------------------------------------------------------------------------------

  private route(inc: Incoming): Outcome {
    const s = inc.segments;
    const method = inc.rec.method;
    if (!s) return { reply: notFound() };
    const path = s.join('/');
    if (method === 'POST' && path === 'auth/oauth2/v2/token') return { reply: this.token(inc, false) };
    if (method === 'POST' && path === 'auth/oauth2/token') return { reply: this.token(inc, true) };
    if (method === 'POST' && path === 'auth/oauth2/revoke') return { reply: this.revoke(inc) };
    if (method === 'GET' && path === 'auth/rate_limit') return { reply: this.rateLimit(inc) };
    if (s[0] === 'api' && s[1] === '2') return this.api(inc, s.slice(2));
    return { reply: notFound() };
  }

  private validCredentials(inc: Incoming): boolean {
    const c = clientCredentials(inc.authorization);
    return c !== undefined && c.id === (this.opts.clientId ?? 'sim-client-id') && c.secret === (this.opts.clientSecret ?? 'sim-client-secret');
  }

  private validBearer(inc: Incoming): boolean {
    const t = bearerToken(inc.authorization);
    return t !== undefined && this.tokens.isValid(t);
  }

  /** POST /auth/oauth2/v2/token (flat) and the legacy /auth/oauth2/token (wrapped in status + data[]). */
  private token(inc: Incoming, legacy: boolean): Reply {
    if (!this.validCredentials(inc)) return unauthorized();
    if (parseObject(inc.rec.body)?.grant_type !== 'client_credentials') {
      return statusError(400, 'bad request', 'grant_type is incorrect/absent');
    }
    const data = this.tokenBody(this.tokens.forClientCredentials());
    if (!legacy) return json(200, data);
    return json(200, { status: { error: false, code: 200, type: 'success', message: 'Success' }, data: [data] });
  }

  private tokenBody(t: IssuedToken): Record<string, unknown> {
    return {
      access_token: t.token,
      created_at: iso(t.createdAt),
      expires_in: Math.max(0, Math.round((t.expiresAt - this.now()) / 1000)),
      refresh_token: createHash('sha256').update(`refresh:${t.token}`).digest('hex'),
      token_type: 'bearer',
      account_id: ACCOUNT_ID,
    };
  }

  private revoke(inc: Incoming): Reply {
    if (!this.validCredentials(inc)) return unauthorized();
    const token = parseObject(inc.rec.body)?.access_token;
    if (typeof token !== 'string' || token === '') return statusError(400, 'bad request', 'access_token is absent');
    this.tokens.revoke(token);
    return success();
  }

  private rateLimit(inc: Incoming): Reply {
    // Reading the limit is free: a probe that spent a call would change what it measures.
    if (!this.validBearer(inc)) return unauthorized();
    const rl = this.limiter.state();
    return json(200, {
      status: { error: false, code: 200, type: 'success', message: 'Success' },
      data: { 'X-RateLimit-Limit': rl.limit, 'X-RateLimit-Remaining': rl.remaining, 'X-RateLimit-Reset': rl.resetSeconds },
    });
  }

  /** Everything under /api/2: token first (401 does not spend the account's calls), then one call of the limit. */
  private api(inc: Incoming, s: string[]): Outcome {
    if (!this.validBearer(inc)) return { reply: unauthorized() };
    if (!this.limiter.consume()) {
      const wait = String(Math.max(1, this.limiter.state().resetSeconds));
      return { reply: { ...tooManyRequests(), headers: { 'retry-after': wait, 'x-ratelimit-reset': wait } } };
    }
    if (s[0] !== 'mfa' || s[1] !== 'users' || s.length < 4) return { reply: notFound() };
    const userId = s[2];
    const rest = s.slice(3);
    const method = inc.rec.method;
    const user = this.users.get(userId);
    if (!user) return { reply: notFound() };
    if (rest.length === 1 && method === 'GET' && rest[0] === 'factors') return { reply: json(200, FACTORS) };
    if (rest.length === 1 && method === 'GET' && rest[0] === 'devices') return { reply: json(200, user.devices.map(publicDevice)) };
    if (rest[0] !== 'verifications') return { reply: notFound() };
    if (rest.length === 1 && method === 'POST') return { reply: this.trigger(userId, user, inc.rec.body) };
    if (rest.length !== 2) return { reply: notFound() };
    const v = user.verifications.get(rest[1]);
    if (!v) return { reply: notFound() };
    if (method === 'GET') return this.status(v);
    if (method === 'PUT') return { reply: this.verifyOtp(v, inc.rec.body) };
    return { reply: notFound() };
  }

  /** POST /verifications: validates like the docs describe, then creates a verification (scripted or default). */
  private trigger(userId: string, user: UserState, bodyText: string): Reply {
    const body = parseObject(bodyText);
    if (!body) return badRequest('The request body must be a JSON object');
    const deviceId = idString(body.device_id);
    if (deviceId === undefined) return validationError('device_id', 'device_id is required');
    const expiresIn = body.expires_in ?? DEFAULT_EXPIRES_IN;
    if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
      return validationError('expires_in', `expires_in must be an integer from 1 to ${MAX_EXPIRES_IN}`);
    }
    if (body.custom_message !== undefined && (typeof body.custom_message !== 'string' || body.custom_message.length > MAX_CUSTOM_MESSAGE)) {
      return validationError('custom_message', `custom_message must be a string of at most ${MAX_CUSTOM_MESSAGE} characters`);
    }
    if (body.redirect_to !== undefined && typeof body.redirect_to !== 'string') {
      return validationError('redirect_to', 'redirect_to must be a string');
    }
    if (!user.devices.some((d) => d.device_id === deviceId)) return notFound();
    const script = this.nextTrigger;
    this.nextTrigger = undefined;
    const v = this.createVerification(userId, { settle: this.defaultSettle, expiresInSeconds: expiresIn, ...script, deviceId });
    return json(201, [{ id: v.record.id, device_id: v.record.deviceId, user_id: userId, expires_at: v.record.expiresAt }]);
  }

  /** GET /verifications/{id}: counts the poll, applies settle rules, then hands back the next scripted fault if any. */
  private status(v: VerificationState): Outcome {
    this.settleByTime(v);
    v.record.polls++;
    const rule = v.settle;
    if (rule && rule.afterPolls !== undefined && v.record.polls >= rule.afterPolls) this.applySettle(v);
    if (rule && rule.afterPolls === undefined && rule.afterMs === undefined) this.applySettle(v); // no condition: at the next poll
    const item = { id: v.record.id, status: v.record.status, device_id: v.record.deviceId };
    const shape = v.bodyShape ?? this.opts.statusBodyShape ?? 'array';
    return { reply: json(200, shape === 'array' ? [item] : item), fault: v.faults.shift() };
  }

  private settleByTime(v: VerificationState): void {
    const after = v.settle?.afterMs;
    if (after !== undefined && this.now() - v.createdAtMs >= after) this.applySettle(v);
  }

  private applySettle(v: VerificationState): void {
    if (!v.settle) return;
    v.record.status = v.settle.to;
    v.settle = undefined;
  }

  /** PUT /verifications/{id}: the right code accepts the verification; a wrong one is 401 and changes nothing. */
  private verifyOtp(v: VerificationState, bodyText: string): Reply {
    const body = parseObject(bodyText);
    if (!body) return badRequest('The request body must be a JSON object');
    const otp = idString(body.otp);
    if (otp === undefined) return validationError('otp', 'otp is required');
    if (otp !== v.otp) return unauthorized();
    v.record.status = 'accepted';
    v.settle = undefined;
    return success();
  }
}

function publicDevice(d: SimDevice): Omit<SimDevice, 'needsOtp'> {
  return { device_id: d.device_id, user_display_name: d.user_display_name, type_display_name: d.type_display_name, auth_factor_name: d.auth_factor_name, default: d.default };
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const sim = new SimulatorImpl(opts);
  await sim.listen();
  return sim;
}
