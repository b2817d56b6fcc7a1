/**
 * Creates the API client lazily (activation does no I/O and builds nothing it may not need), and
 * rebuilds it when a setting it depends on changes or the credentials change (dropping cached tokens).
 * `vscode`-free: the client constructor is injected, so this is unit-tested with a fake.
 */
import type { Config } from './config';
import type { IDisposable } from './lifecycle';
import type { ExchangeListener } from './onelogin/exchange';
import type { Credentials, OneLoginApi, OneLoginClientOptions } from './onelogin/types';

export type ClientFactory = (options: OneLoginClientOptions) => OneLoginApi;

export class ClientProvider implements IDisposable {
  private client: OneLoginApi | undefined;

  constructor(
    private readonly config: Config,
    private readonly getCredentials: () => Promise<Credentials | undefined>,
    private readonly onExchange: ExchangeListener,
    private readonly factory: ClientFactory,
  ) {}

  /**
   * The client for the current settings. Throws OneLoginError('invalidInput', code INVALID_BASE_URL)
   * naming the setting when the base URL is invalid: nothing is sent anywhere then.
   */
  get(): OneLoginApi {
    if (!this.client) {
      const baseUrl = this.config.baseUrl();
      this.client = this.factory({
        baseUrl: baseUrl.origin,
        getCredentials: this.getCredentials,
        requestTimeoutMs: this.config.requestTimeoutMs(),
        onExchange: this.onExchange,
      });
    }
    return this.client;
  }

  /** The next get() builds a new client (settings or credentials changed). Calls in flight finish on the old one. */
  reset(): void {
    this.client = undefined;
  }

  dispose(): void {
    this.client = undefined;
  }
}
