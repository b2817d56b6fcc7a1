/**
 * Which verification an HTTP exchange belongs to, read from its URL (and a trigger's reply), so the log
 * can group exchanges per verification.
 */
import type { Exchange } from '../onelogin/exchange';
import { validateUserId, validateVerificationId } from '../onelogin/ids';

export interface VerificationRef {
  userId: string;
  verificationId: string;
}

const STATUS_PATH = /^\/api\/2\/mfa\/users\/([^/?#]+)\/verifications\/([^/?#]+)\/?(?:[?#].*)?$/;
const TRIGGER_PATH = /^\/api\/2\/mfa\/users\/([^/?#]+)\/verifications\/?(?:[?#].*)?$/;

function decodeId(segment: string, validate: (v: unknown) => string): string | undefined {
  try {
    return validate(decodeURIComponent(segment));
  } catch {
    return undefined;
  }
}

function triggeredId(json: unknown): string | undefined {
  const record = Array.isArray(json) ? json[0] : json;
  if (typeof record !== 'object' || record === null) return undefined;
  const id = (record as Record<string, unknown>).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)) ? String(id) : undefined;
}

/** The verification an exchange belongs to: from the status/OTP path, or from a trigger's reply. */
export function associate(ex: Pick<Exchange, 'method' | 'path' | 'json'>): VerificationRef | undefined {
  const status = STATUS_PATH.exec(ex.path);
  if (status) {
    const userId = decodeId(status[1], validateUserId);
    const verificationId = decodeId(status[2], validateVerificationId);
    return userId && verificationId ? { userId, verificationId } : undefined;
  }
  const trigger = ex.method.toUpperCase() === 'POST' ? TRIGGER_PATH.exec(ex.path) : null;
  if (trigger) {
    const userId = decodeId(trigger[1], validateUserId);
    const id = triggeredId(ex.json);
    const verificationId = id === undefined ? undefined : decodeId(encodeURIComponent(id), validateVerificationId);
    return userId && verificationId ? { userId, verificationId } : undefined;
  }
  return undefined;
}
