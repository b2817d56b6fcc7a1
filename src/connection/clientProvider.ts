/**
 * One API client per tenant, created lazily (activation does no I/O and builds nothing it may not need),
 * and rebuilt when a setting it depends on changes or the tenant's credentials change (dropping cached
 * tokens). A client is bound to its tenant's host and its tenant's credentials only, so a token of one
 * tenant can never reach another tenant's host. `vscode`-free: the client constructor is injected.
 */
import type { IDisposable } from '../util/lifecycle';
import type { Exchange } from '../onelogin/exchange';
import type { Credentials, OneLoginApi, OneLoginClientOptions } from '../onelogin/types';
import { DEFAULT_TENANT, type Tenants } from './tenants';

/** The one setting a client is built with (Config provides it). */
export interface ClientSettings {
  requestTimeoutMs(): number;
}

export type ClientFactory = (options: OneLoginClientOptions) => OneLoginApi;

/** Told of every exchange of every client; `exchange.tenant` names the tenant ("default" is left out). */
export type TenantExchangeListener = (exchange: Exchange) => void;

export class ClientProvider implements IDisposable {
  /** Keyed by tenant name; each remembers the origin it was built for. */
  private readonly clients = new Map<string, { origin: string; client: OneLoginApi }>();

  constructor(
    private readonly config: ClientSettings,
    private readonly tenants: Tenants,
    private readonly getCredentials: (tenant: string) => Promise<Credentials | undefined>,
    private readonly onExchange: TenantExchangeListener,
    private readonly factory: ClientFactory,
  ) {}

  /**
   * The client of a tenant (default: the active one) for the current settings. Throws
   * OneLoginError('invalidInput') naming the setting when the tenant is unknown or its base URL is
   * invalid: nothing is sent anywhere then.
   */
  get(tenantName?: string): OneLoginApi {
    const tenant = this.tenants.get(tenantName);
    const known = this.clients.get(tenant.name);
    // A base URL edited in place gets a new client: never the old client's cached token on a new host.
    if (known && known.origin === tenant.baseUrl.origin) return known.client;
    const name = tenant.name;
    const client = this.factory({
      baseUrl: tenant.baseUrl.origin,
      getCredentials: () => this.getCredentials(name),
      requestTimeoutMs: this.config.requestTimeoutMs(),
      onExchange: name === DEFAULT_TENANT ? this.onExchange : (ex) => this.onExchange({ ...ex, tenant: name }),
    });
    this.clients.set(name, { origin: tenant.baseUrl.origin, client });
    return client;
  }

  /** The next get() builds new clients (of one tenant, or all). Calls in flight finish on the old ones. */
  reset(tenantName?: string): void {
    if (tenantName === undefined) this.clients.clear();
    else this.clients.delete(tenantName);
  }

  dispose(): void {
    this.clients.clear();
  }
}
