/**
 * Access tokens from API client credentials: minted through POST /auth/oauth2/v2/token, cached
 * until shortly before they expire, shared by concurrent callers (one mint in flight at a time),
 * and dropped when a call answers 401 so the next call mints a fresh one.
 */
import type { Credentials } from './types';

export interface MintedToken {
  accessToken: string;
  /** Lifetime in seconds, as OneLogin said (expires_in). */
  expiresIn: number;
}

export type MintFunction = (clientId: string, clientSecret: string) => Promise<MintedToken>;

export interface ResolvedToken {
  token: string;
  /** True when the token came from client credentials, so a 401 may be cured by minting again. */
  refreshable: boolean;
}

/** Refresh this long before expiry (or at 90% of a short lifetime), so a poll never uses a dying token. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

interface CacheEntry {
  clientId: string;
  clientSecret: string;
  token?: string;
  expiresAt?: number;
  inFlight?: Promise<string>;
}

export class TokenProvider {
  private entry: CacheEntry | undefined;

  constructor(
    private readonly mint: MintFunction,
    private readonly now: () => number = Date.now,
  ) {}

  async resolve(credentials: Credentials): Promise<ResolvedToken> {
    if (credentials.kind === 'accessToken') return { token: credentials.accessToken, refreshable: false };
    const cached = this.ready(credentials);
    if (cached) return cached;
    const entry = this.entryFor(credentials.clientId, credentials.clientSecret);
    entry.inFlight ??= this.mintInto(entry);
    return { token: await entry.inFlight, refreshable: true };
  }

  /**
   * The token at once when no mint is needed (a stored access token, or a cached one still valid), else
   * undefined: every poll takes this path, and it spares each one a promise and an abort listener.
   */
  ready(credentials: Credentials): ResolvedToken | undefined {
    if (credentials.kind === 'accessToken') return { token: credentials.accessToken, refreshable: false };
    const entry = this.entryFor(credentials.clientId, credentials.clientSecret);
    if (entry.token && entry.expiresAt !== undefined && this.now() < entry.expiresAt) {
      return { token: entry.token, refreshable: true };
    }
    return undefined;
  }

  /** Forget `token` (it was refused); the next resolve() mints a new one. */
  invalidate(token: string): void {
    if (this.entry?.token === token) {
      this.entry.token = undefined;
      this.entry.expiresAt = undefined;
    }
  }

  clear(): void {
    this.entry = undefined;
  }

  private entryFor(clientId: string, clientSecret: string): CacheEntry {
    // Other credentials: the cached token belongs to someone else; start over.
    if (!this.entry || this.entry.clientId !== clientId || this.entry.clientSecret !== clientSecret) {
      this.entry = { clientId, clientSecret };
    }
    return this.entry;
  }

  private async mintInto(entry: CacheEntry): Promise<string> {
    try {
      const minted = await this.mint(entry.clientId, entry.clientSecret);
      const lifetimeMs = Math.max(0, minted.expiresIn * 1000);
      const margin = Math.min(EXPIRY_MARGIN_MS, lifetimeMs * 0.1);
      entry.token = minted.accessToken;
      entry.expiresAt = this.now() + lifetimeMs - margin;
      return minted.accessToken;
    } finally {
      entry.inFlight = undefined;
    }
  }
}
