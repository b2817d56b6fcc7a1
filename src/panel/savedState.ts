/**
 * The validation of the state the webview saved: it comes back to the host after a window reload and is
 * untrusted input, so it is rebuilt from known fields only, re-validated, capped and redacted again.
 */
import type { OneLoginErrorKind } from '../onelogin/errors';
import { redactBodyText, sanitizeRequestHeaders } from '../onelogin/redact';
import { validateUserId, validateVerificationId } from '../onelogin/ids';
import { POLL_PHASES, stateKey, type PollState } from '../verification/types';
import { tenantNameProblem } from '../connection/tenants';
import { isPlainObject } from '../util/values';
import { LIMITS, type Limits } from '../records/exchangeLogConstants';
import type { ExchangeView } from './messages';

export interface RestoredState {
  states: PollState[];
  groups: { key: string; exchanges: ExchangeView[]; hiddenExchanges: number }[];
  other?: { exchanges: ExchangeView[]; hiddenExchanges: number };
}

const optString = (v: unknown, max = 8192): string | undefined => (typeof v === 'string' ? v.slice(0, max) : undefined);
const optNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ERROR_KINDS: readonly OneLoginErrorKind[] = [
  'auth',
  'forbidden',
  'notFound',
  'rateLimited',
  'server',
  'network',
  'timeout',
  'invalidResponse',
  'invalidInput',
  'cancelled',
];

function stringRecord(v: unknown, maxEntries = 100): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(v)) return out;
  for (const [k, val] of Object.entries(v).slice(0, maxEntries)) {
    if (typeof val === 'string') out[k.slice(0, 256)] = val.slice(0, 8192);
  }
  return out;
}

/** A tenant name from saved state: a valid name other than "default", else nothing. */
function restoredTenant(v: unknown): string | undefined {
  return typeof v === 'string' && v !== 'default' && tenantNameProblem(v) === undefined ? v : undefined;
}

function restoreExchange(v: unknown, bodyChars: number): ExchangeView | undefined {
  if (!isPlainObject(v)) return undefined;
  const method = optString(v.method, 16);
  const path = optString(v.path, 2048);
  if (!method || path === undefined) return undefined;
  const kind = v.bodyKind === 'json' || v.bodyKind === 'text' || v.bodyKind === 'empty' ? v.bodyKind : 'text';
  const rawBody = redactBodyText(typeof v.body === 'string' ? v.body : '');
  const body = rawBody.slice(0, bodyChars);
  const previousCut = isPlainObject(v.bodyCut) ? optNumber(v.bodyCut.totalChars) : undefined;
  const totalChars = Math.max(previousCut ?? 0, rawBody.length);
  const view: ExchangeView = {
    id: 0,
    startedAt: optString(v.startedAt, 64) ?? '',
    method,
    origin: optString(v.origin, 512) ?? '',
    path,
    durationMs: optNumber(v.durationMs) ?? 0,
    sizeBytes: optNumber(v.sizeBytes) ?? 0,
    requestHeaders: sanitizeRequestHeaders(stringRecord(v.requestHeaders)),
    responseHeaders: stringRecord(v.responseHeaders),
    body,
    bodyKind: kind,
    bodyTruncatedByClient: v.bodyTruncatedByClient === true,
    restored: true,
  };
  if (totalChars > body.length) view.bodyCut = { shownChars: body.length, totalChars };
  if (v.bodyOmitted === true) view.bodyOmitted = true;
  const status = optNumber(v.status);
  if (status !== undefined) view.status = status;
  const statusText = optString(v.statusText, 256);
  if (statusText) view.statusText = statusText;
  const requestId = optString(v.requestId, 256);
  if (requestId) view.requestId = requestId;
  const tenant = restoredTenant(v.tenant);
  if (tenant) view.tenant = tenant;
  const requestBody = optString(v.requestBody);
  if (requestBody !== undefined) view.requestBody = redactBodyText(requestBody);
  if (isPlainObject(v.error) && typeof v.error.kind === 'string' && typeof v.error.message === 'string') {
    view.error = { kind: v.error.kind.slice(0, 64), message: v.error.message.slice(0, 2048) };
  }
  return view;
}

function restoreExchanges(v: unknown, limits: Limits): { exchanges: ExchangeView[]; hiddenExchanges: number } {
  const list = Array.isArray(v) ? v : [];
  const kept = list.slice(-limits.restoredExchangesPerGroup);
  const exchanges = kept.map((x) => restoreExchange(x, limits.restoredBodyChars)).filter((x): x is ExchangeView => x !== undefined);
  return { exchanges, hiddenExchanges: list.length - kept.length };
}

function restoreEntry(v: unknown): PollState | undefined {
  if (!isPlainObject(v) || typeof v.userId !== 'string' || typeof v.verificationId !== 'string') return undefined;
  let userId: string;
  let verificationId: string;
  try {
    userId = validateUserId(v.userId);
    verificationId = validateVerificationId(v.verificationId);
  } catch {
    return undefined;
  }
  const phase = POLL_PHASES.find((p) => p === v.phase) ?? 'idle';
  const state: PollState = { phase, userId, verificationId, attempt: optNumber(v.attempt) ?? 0, expiresAt: optNumber(v.expiresAt) ?? 0 };
  const deviceId = optString(v.deviceId, 128);
  if (deviceId) state.deviceId = deviceId;
  const tenant = restoredTenant(v.tenant);
  if (tenant) state.tenant = tenant;
  const lastCheckedAt = optNumber(v.lastCheckedAt);
  if (lastCheckedAt !== undefined) state.lastCheckedAt = lastCheckedAt;
  const lastHttpStatus = optNumber(v.lastHttpStatus);
  if (lastHttpStatus !== undefined) state.lastHttpStatus = lastHttpStatus;
  const errorKind = isPlainObject(v.error) ? ERROR_KINDS.find((k) => k === (v.error as Record<string, unknown>).kind) : undefined;
  if (isPlainObject(v.error) && errorKind && typeof v.error.message === 'string') {
    state.error = { kind: errorKind, message: v.error.message.slice(0, 2048) };
  }
  return state;
}

/**
 * Validates what the webview saved with setState (it returns to the host on a window reload): only
 * known fields of the right type survive, ids are re-validated, sizes are capped, headers and bodies are
 * redacted again. Anything unreadable yields an empty state.
 */
export function parseSavedState(saved: unknown, limits: Limits = LIMITS): RestoredState {
  const result: RestoredState = { states: [], groups: [] };
  if (!isPlainObject(saved) || saved.version !== 1 || !Array.isArray(saved.groups)) return result;
  const seen = new Set<string>();
  for (const g of saved.groups.slice(0, limits.maxGroups)) {
    if (!isPlainObject(g)) continue;
    const state = restoreEntry(g.entry);
    if (!state) continue;
    const key = stateKey(state);
    if (seen.has(key)) continue;
    seen.add(key);
    const { exchanges, hiddenExchanges } = restoreExchanges(g.exchanges, limits);
    const hiddenBefore = optNumber(g.hiddenExchanges) ?? 0;
    result.states.push(state);
    result.groups.push({ key, exchanges, hiddenExchanges: Math.max(0, Math.floor(hiddenBefore)) + hiddenExchanges });
  }
  if (isPlainObject(saved.other)) {
    const { exchanges, hiddenExchanges } = restoreExchanges(saved.other.exchanges, limits);
    const hiddenBefore = optNumber(saved.other.hiddenExchanges) ?? 0;
    result.other = { exchanges, hiddenExchanges: Math.max(0, Math.floor(hiddenBefore)) + hiddenExchanges };
  }
  return result;
}
