/**
 * Sends a call with the stored credentials: reads them (every call, so a change applies at once), takes
 * a cached token or mints one from client credentials, and interprets and publishes the reply. A minted
 * token that OneLogin refuses gets one fresh token and one retry.
 */
import { OneLoginError } from './errors';
import { jsonOf, throwIfError, withRequestId, type CallContext } from './readReply';
import type { SecretScrubber } from './redact';
import { singleRecord, str } from './responses';
import { TokenProvider, type MintedToken } from './token';
import type { HttpResult, RequestSpec, Transport } from './transport';
import type { Credentials, OneLoginClientOptions } from './types';

const TOKEN_PATH = '/auth/oauth2/v2/token';

export interface CallOptions {
  retryOn401?: boolean;
  acceptStatus?: number[];
  /** Filled with the token the final request carried (the OTP's token check needs it). */
  used?: { token: string; refreshable: boolean };
}

export class AuthorizedCalls {
  private readonly tokens: TokenProvider;

  constructor(
    private readonly transport: Transport,
    /** Learns the credentials as they are read, so no record ever shows them. */
    private readonly scrubber: SecretScrubber,
    private readonly options: Pick<OneLoginClientOptions, 'getCredentials'>,
  ) {
    this.tokens = new TokenProvider((id, secret) => this.mintToken(id, secret));
  }

  /**
   * Sends an authenticated call, interprets the response, publishes the exchange (with the error, if
   * any) and returns the interpretation. With minted tokens, a 401 gets one fresh token and one retry.
   */
  async call<T>(spec: Omit<RequestSpec, 'authorization'>, signal: AbortSignal | undefined, context: CallContext, interpret: (res: HttpResult) => T, options: CallOptions = {}): Promise<T> {
    const credentials = await this.credentials();
    const resolved = this.tokens.ready(credentials) ?? (await abortable(this.tokens.resolve(credentials), signal));
    let token = resolved.token;
    let res = await this.transport.send({ ...spec, authorization: `Bearer ${token}` }, signal);
    if (res.status === 401 && resolved.refreshable && options.retryOn401 !== false) {
      this.transport.publish(res, new OneLoginError('auth', 'OneLogin refused the cached access token (401); minting a new one and retrying once.'));
      this.tokens.invalidate(token);
      ({ token } = await abortable(this.tokens.resolve(credentials), signal));
      res = await this.transport.send({ ...spec, authorization: `Bearer ${token}` }, signal);
    }
    try {
      if (!options.acceptStatus?.includes(res.status)) throwIfError(res, spec, context);
      const value = interpret(res);
      this.transport.publish(res);
      if (options.used) {
        options.used.token = token;
        options.used.refreshable = resolved.refreshable;
      }
      return value;
    } catch (e) {
      const error = e instanceof OneLoginError ? withRequestId(e, res) : new OneLoginError('invalidResponse', 'OneLogin\'s reply could not be read.');
      this.transport.publish(res, error);
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
    const res = await this.transport.send({
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
      throwIfError(res, { method: 'POST', path: TOKEN_PATH }, {
        auth: 'Check the client id and secret (OneLogin MFA: Set API Client Credentials), and that the API credential still exists.',
      });
      jsonOf(res);
      const record = singleRecord(res.rawJson.ok ? res.rawJson.value : undefined);
      const accessToken = str(record?.access_token);
      if (!accessToken) throw new OneLoginError('invalidResponse', 'OneLogin\'s token reply has no access_token.');
      const expiresIn = typeof record?.expires_in === 'number' && record.expires_in > 0 ? record.expires_in : 36_000;
      this.transport.publish(res);
      return { accessToken, expiresIn };
    } catch (e) {
      const error = e instanceof OneLoginError ? withRequestId(e, res) : new OneLoginError('invalidResponse', 'OneLogin\'s token reply could not be read.');
      this.transport.publish(res, error);
      throw error;
    }
  }

  /** Makes sure a token is at hand without sending the call: a failure here proves nothing was sent. */
  async resolveToken(signal?: AbortSignal): Promise<void> {
    await abortable(this.tokens.resolve(await this.credentials()), signal);
  }

  /** Drops a token OneLogin refused, so the next call mints a fresh one. */
  invalidate(token: string): void {
    this.tokens.invalidate(token);
  }
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
