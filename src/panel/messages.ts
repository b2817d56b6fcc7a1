/**
 * The message protocol between the panel host and its webview. Pure and `vscode`-free.
 *
 * Webview → host messages are untrusted input: `parseWebviewMessage` accepts only the types on the
 * allow-list, checks every field's type and form, and rebuilds the message from the known fields only.
 * Anything else is ignored. No message names a command: the host maps each type to one fixed action.
 */
import { MAX_ID_LENGTH, validateDeviceId, validateUserId, validateVerificationId } from '../onelogin/ids';
import type { PollPhase } from '../verification/types';
import type { EntrySource } from '../verification/store';
import type { DevicesView } from '../verification/devices';
import type { HistoryEntry } from '../records/history';
import type { GaugeView } from '../records/rateLimit';
import type { ExchangeView } from '../records/exchangeView';

export type { DevicesView, ExchangeView, GaugeView, HistoryEntry };

// ---------------------------------------------------------------- host → webview

export interface EntryView {
  key: string;
  userId: string;
  verificationId: string;
  /** The OneLogin tenant, when not "default" (the panel names it). */
  tenant?: string;
  phase: PollPhase;
  polling: boolean;
  source: EntrySource | 'exchangesOnly';
  deviceId?: string;
  attempt: number;
  expiresAt: number;
  lastCheckedAt?: number;
  lastHttpStatus?: number;
  nextCheckAt?: number;
  retry?: { kind: string; message: string; delayMs: number };
  error?: { kind: string; message: string; httpStatus?: number; requestId?: string };
  /** Set when this window sent the verification. */
  triggered?: boolean;
  /** "My iPhone · OneLogin Protect" (a triggered verification whose device list was read). */
  deviceLabel?: string;
  /** OneLogin's expires_at as sent (server clock), shown beside the local countdown. */
  serverExpiresAt?: string;
  /** Where the local deadline came from. */
  deadlineSource?: 'server' | 'local';
  /** The factor takes a one-time code: the panel offers "Enter OTP…". */
  acceptsCode?: boolean;
}

/** The history section: past verifications (no secrets), newest first. */
export interface HistoryView {
  /** False when the setting turned the history off. */
  enabled: boolean;
  entries: HistoryEntry[];
}

export interface GroupView {
  entry: EntryView;
  exchanges: ExchangeView[];
  /** Exchanges dropped from the history (oldest first). */
  hiddenExchanges: number;
}

export interface SnapshotMessage {
  type: 'snapshot';
  /** Host clock, so the webview can correct its countdowns for clock skew (remote hosts). */
  hostNow: number;
  groups: GroupView[];
  /** Exchanges that belong to no verification (token requests, device lists, ...). */
  other: { exchanges: ExchangeView[]; hiddenExchanges: number };
  limits: { maxExchangesPerGroup: number; previewChars: number; maxGroups?: number };
  /** The latest rate-limit numbers any response carried. */
  rateLimit?: GaugeView;
  history?: HistoryView;
  /** The last device listing (List Devices). */
  devices?: DevicesView;
}

export interface RateLimitMessage {
  type: 'rateLimit';
  hostNow: number;
  gauge: GaugeView;
}

export interface HistoryMessage {
  type: 'history';
  hostNow: number;
  history: HistoryView;
}

export interface DevicesMessage {
  type: 'devices';
  hostNow: number;
  devices: DevicesView;
}

export interface EntryMessage {
  type: 'entry';
  hostNow: number;
  entry: EntryView;
}

export interface ExchangeMessage {
  type: 'exchange';
  hostNow: number;
  /** The group key, or OTHER_KEY. */
  key: string;
  exchange: ExchangeView;
  hiddenExchanges: number;
}

/** A change the webview applies on top of what it shows. */
export type UpdateMessage = EntryMessage | ExchangeMessage | RateLimitMessage | HistoryMessage | DevicesMessage;

/** Several updates posted as one message (the host coalesces what changed within one render gap). */
export interface BatchMessage {
  type: 'batch';
  hostNow: number;
  messages: UpdateMessage[];
}

export type HostMessage = SnapshotMessage | UpdateMessage | BatchMessage;

/** The group key of exchanges that belong to no verification, and the size caps the host applies and the
 * webview mirrors (its saved state is capped the same way). */
export { LIMITS, OTHER_KEY, type Limits } from '../records/exchangeLogConstants';

/** A group that has exchanges but no entry yet (the check's result has not been recorded). */
export function placeholderEntry(key: string): EntryView {
  const [userId = '', verificationId = '', tenant] = key.split('/');
  return { key, userId, verificationId, ...(tenant ? { tenant } : {}), phase: 'idle', polling: false, source: 'exchangesOnly', attempt: 0, expiresAt: 0 };
}

/**
 * What the webview saves with setState (trimmed to the restored caps; never a secret: the host redacts before
 * posting), so a reload shows it at once. It comes back to the host after a window reload as untrusted input
 * (parseSavedState).
 */
export interface SavedState {
  version: 1;
  groups: GroupView[];
  other: { exchanges: ExchangeView[]; hiddenExchanges: number };
}

// ---------------------------------------------------------------- webview → host

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copyBody'; exchangeId: number }
  | { type: 'openBody'; exchangeId: number }
  | { type: 'stopPoll'; key: string }
  | { type: 'recheck'; userId: string; verificationId: string }
  | { type: 'poll'; userId: string; verificationId: string }
  | { type: 'clearFinished' }
  | { type: 'showLog' }
  | { type: 'copyCurl'; exchangeId: number }
  /** The user picked an exchange (the editor-title "Copy as cURL" uses it). */
  | { type: 'selectExchange'; exchangeId: number }
  | { type: 'exportLog'; format: 'json' | 'har' }
  | { type: 'clearHistory' }
  | { type: 'enterOtp'; userId: string; verificationId: string }
  | { type: 'sendVerification'; userId: string; deviceId: string };

export const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessage['type'][] = [
  'ready',
  'copyBody',
  'openBody',
  'stopPoll',
  'recheck',
  'poll',
  'clearFinished',
  'showLog',
  'copyCurl',
  'selectExchange',
  'exportLog',
  'clearHistory',
  'enterOtp',
  'sendVerification',
];

const KEY_PATTERN = /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exchangeId(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

function entryKeyField(v: unknown): string | undefined {
  return typeof v === 'string' && v.length <= 2 * MAX_ID_LENGTH + 1 && KEY_PATTERN.test(v) ? v : undefined;
}

function ids(m: Record<string, unknown>): { userId: string; verificationId: string } | undefined {
  if (typeof m.userId !== 'string' || typeof m.verificationId !== 'string') return undefined;
  try {
    return { userId: validateUserId(m.userId), verificationId: validateVerificationId(m.verificationId) };
  } catch {
    return undefined;
  }
}

/** The validated message, or undefined for anything not on the allow-list or malformed. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'clearFinished':
    case 'showLog':
    case 'clearHistory':
      return { type: raw.type };
    case 'copyBody':
    case 'openBody':
    case 'copyCurl':
    case 'selectExchange': {
      const id = exchangeId(raw.exchangeId);
      return id === undefined ? undefined : { type: raw.type, exchangeId: id };
    }
    case 'stopPoll': {
      const key = entryKeyField(raw.key);
      return key === undefined ? undefined : { type: 'stopPoll', key };
    }
    case 'recheck':
    case 'poll':
    case 'enterOtp': {
      const v = ids(raw);
      return v === undefined ? undefined : { type: raw.type, ...v };
    }
    case 'exportLog':
      return raw.format === 'json' || raw.format === 'har' ? { type: 'exportLog', format: raw.format } : undefined;
    case 'sendVerification': {
      if (typeof raw.userId !== 'string' || typeof raw.deviceId !== 'string') return undefined;
      try {
        return { type: 'sendVerification', userId: validateUserId(raw.userId), deviceId: validateDeviceId(raw.deviceId) };
      } catch {
        return undefined;
      }
    }
    default:
      return undefined;
  }
}
