// Access tokens and the two credential header forms the docs allow.

import { randomBytes } from 'node:crypto';

interface TokenRecord {
  createdAt: number;
  /** Epoch ms; Infinity for pre-issued tokens. */
  expiresAt: number;
  valid: boolean;
}

export interface IssuedToken {
  token: string;
  createdAt: number;
  expiresAt: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  /** The token the client-credentials endpoint hands out, reused until it expires or is revoked. */
  private current: string | undefined;

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
    preIssued: string[],
  ) {
    for (const t of preIssued) this.tokens.set(t, { createdAt: now(), expiresAt: Infinity, valid: true });
  }

  isValid(token: string): boolean {
    const rec = this.tokens.get(token);
    return rec !== undefined && rec.valid && this.now() < rec.expiresAt;
  }

  mint(): IssuedToken {
    const token = randomBytes(32).toString('hex');
    const createdAt = this.now();
    const rec = { createdAt, expiresAt: createdAt + this.ttlMs, valid: true };
    this.tokens.set(token, rec);
    return { token, createdAt, expiresAt: rec.expiresAt };
  }

  /** Same credentials, same token, until it expires or is revoked (as the docs say). */
  forClientCredentials(): IssuedToken {
    const rec = this.current !== undefined ? this.tokens.get(this.current) : undefined;
    if (this.current !== undefined && rec && this.isValid(this.current)) {
      return { token: this.current, createdAt: rec.createdAt, expiresAt: rec.expiresAt };
    }
    const issued = this.mint();
    this.current = issued.token;
    return issued;
  }

  revoke(token: string): void {
    const rec = this.tokens.get(token);
    if (rec) rec.valid = false;
  }

  revokeAll(): void {
    for (const rec of this.tokens.values()) rec.valid = false;
  }

  expire(token: string): void {
    const rec = this.tokens.get(token);
    if (rec) rec.expiresAt = Math.min(rec.expiresAt, this.now());
  }
}

/** `Bearer t`, `bearer t`, `bearer:t`, `bearer: t` (the docs print `bearer:<token>`; clients send `Bearer <token>`). */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^\s*bearer(?:\s*:\s*|\s+)(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

export interface ClientCredentials {
  id: string;
  secret: string;
}

/** `client_id:<id>, client_secret:<secret>` (spaces tolerated) or HTTP Basic base64(id:secret). */
export function clientCredentials(header: string | undefined): ClientCredentials | undefined {
  const h = header ?? '';
  const pair = /^\s*client_id\s*:\s*([^,\s]+)\s*,\s*client_secret\s*:\s*(\S+)\s*$/i.exec(h);
  if (pair) return { id: pair[1], secret: pair[2] };
  const basic = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(h);
  if (!basic) return undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
