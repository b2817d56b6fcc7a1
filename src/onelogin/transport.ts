/**
 * Sends one HTTP request to one origin, with a hard deadline, the caller's cancel and a size cap, and
 * hands every exchange to the listener. Any HTTP status comes back as a result; only "no reply" throws.
 */
import axios, { type AxiosInstance } from 'axios';
import { AbortSwitch } from './abortSwitch';
import { OneLoginError } from './errors';
import type { Exchange, ExchangeListener } from './exchange';
import { ExchangeRecorder, type HttpResult } from './exchangeRecorder';
import { proxyRefusedMessage, transportError } from './netErrors';
import type { SecretScrubber } from './redact';

export type { HttpResult } from './exchangeRecorder';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const USER_AGENT = 'onelogin-mfa-verify-vscode';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: Record<string, unknown>;
  authorization: string;
  /** Secrets the response itself carries (a minted token), scrubbed before it is recorded. */
  secretsIn?: (json: unknown) => (string | undefined)[];
  /** The request body as recorded, when it differs from what is sent (an OTP). */
  recordedBody?: Record<string, unknown>;
}

export interface TransportOptions {
  origin: string;
  requestTimeoutMs: number;
  maxResponseBytes: number;
  /** Holds the secrets known so far; everything recorded passes through it. */
  scrubber: SecretScrubber;
  nextExchangeId: () => number;
  onExchange: ExchangeListener;
}

export class Transport {
  private readonly http: AxiosInstance;
  private readonly recorder: ExchangeRecorder;
  private readonly https: boolean;

  constructor(private readonly options: TransportOptions) {
    this.https = options.origin.startsWith('https:');
    this.http = createHttp(options.origin, options.maxResponseBytes);
    this.recorder = new ExchangeRecorder(options.origin, options.scrubber, options.maxResponseBytes, options.nextExchangeId);
  }

  /**
   * One HTTP request with a hard deadline (a trickling body cannot stretch it) and the caller's
   * cancel. Returns any HTTP response; throws OneLoginError when none arrived. Failed attempts are
   * published here; responses are published by the caller once interpreted.
   */
  async send(spec: RequestSpec, signal?: AbortSignal): Promise<HttpResult> {
    if (signal?.aborted) throw new OneLoginError('cancelled', 'The request was cancelled.');
    // Not an AbortController: a class instance (axios copies plain objects when it merges a config).
    const controller = new AbortSwitch();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.requestTimeoutMs);
    const onCancel = (): void => controller.abort();
    signal?.addEventListener('abort', onCancel, { once: true });

    const exchange = this.recorder.start(spec.method, spec.path, spec.recordedBody ?? spec.body);
    const started = performance.now();
    const headers: Record<string, string> = { Authorization: spec.authorization };
    if (spec.body) headers['Content-Type'] = 'application/json';
    try {
      const response = await this.http.request<string>({ method: spec.method, url: spec.path, data: spec.body ? JSON.stringify(spec.body) : undefined, headers, signal: controller });
      exchange.durationMs = Math.round(performance.now() - started);
      const result = this.recorder.response(exchange, response, spec.secretsIn);
      if (this.https && arrivedInPlaintext(response.request)) {
        // Not OneLogin's answer: the proxy refused the tunnel, and VS Code's proxy agent replays its reply.
        const error = new OneLoginError('network', proxyRefusedMessage(result.status, this.options.origin, `${spec.method} ${spec.path}`), { httpStatus: result.status, code: 'PROXY_REFUSED' });
        this.publish(result, error);
        throw error;
      }
      return result;
    } catch (e) {
      if (e instanceof OneLoginError) throw e; // already published above
      exchange.durationMs = Math.round(performance.now() - started);
      const request = (e as { request?: unknown }).request;
      this.recorder.failedRequest(exchange, request, { ...headers, Accept: 'application/json' });
      const { origin, requestTimeoutMs, maxResponseBytes } = this.options;
      const error = transportError(e, { what: `${spec.method} ${spec.path}`, origin, timedOut, cancelled: !!signal?.aborted, requestTimeoutMs, maxResponseBytes });
      if (error.code === 'BODY_TOO_LARGE') this.recorder.cutResponse(exchange, request);
      exchange.error = { kind: error.kind, message: error.message };
      this.emit(exchange);
      throw error;
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onCancel);
    }
  }

  /** Hands a response's exchange to the listener, with the error the caller made of it, if any. */
  publish(res: HttpResult, error?: OneLoginError): void {
    if (error) res.exchange.error = { kind: error.kind, message: error.message };
    this.emit(res.exchange);
  }

  /**
   * Hands an exchange to onExchange. A listener that throws (say, a view that cannot lay out a hostile
   * body) must not change what the call returns, nor turn a result into an error that is not a OneLoginError.
   */
  private emit(exchange: Exchange): void {
    try {
      this.options.onExchange(exchange);
    } catch {
      // The listener's failure is the listener's; the exchange and the call's outcome stand.
    }
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

/** True when the response came over a socket without TLS: for an https origin, not the origin's answer. */
function arrivedInPlaintext(request: unknown): boolean {
  const socket = (request as { socket?: { encrypted?: unknown } | null } | undefined)?.socket;
  return !!socket && socket.encrypted !== true;
}
