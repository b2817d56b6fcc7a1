/**
 * The panel's data, host side, pure and `vscode`-free: which verification each HTTP exchange belongs
 * to, the capped history per verification, the redacted and size-capped views posted to the webview,
 * the full bodies kept for "Open in editor", and the validation of state the webview saved (it comes
 * back to the host after a window reload and is treated as untrusted input).
 */
import type { OneLoginErrorKind } from '../onelogin/errors';
import type { Exchange } from '../onelogin/exchange';
import { redactBodyText, sanitizeRequestHeaders } from '../onelogin/redact';
import { validateUserId, validateVerificationId } from '../onelogin/ids';
import { POLL_PHASES, stateKey, type PollState } from '../verification/types';
import { tenantNameProblem } from '../connection/tenants';
import { entryKey, type VerificationEntry } from '../verification/store';
import { LIMITS, OTHER_KEY, placeholderEntry, type EntryView, type ExchangeView, type GroupView, type Limits, type SnapshotMessage } from './messages';

// ---------------------------------------------------------------- JSON layout

/**
 * Re-indents JSON text by changing whitespace only (2 spaces), so every number, string escape, key
 * order and duplicate key stays exactly as received (JSON.parse + stringify would round big integer
 * ids and drop duplicate keys). Call it only on text that parsed as JSON.
 *
 * Indentation grows with depth, so deeply nested text can grow quadratically (20 kB nested 10,000 deep
 * would be 200 million characters): past `maxChars` of output it gives up and returns undefined, and
 * the caller shows the text verbatim.
 */
export function prettyJsonText(text: string, maxChars = Infinity): string | undefined {
  const out: string[] = [];
  let length = 0;
  const push = (...parts: string[]): void => {
    for (const p of parts) {
      out.push(p);
      length += p.length;
    }
  };
  let indent = 0;
  let inString = false;
  let i = 0;
  const n = text.length;
  const newline = (): void => {
    push('\n', '  '.repeat(indent));
  };
  while (i < n) {
    if (length > maxChars) return undefined;
    const c = text[i];
    if (inString) {
      const start = i;
      while (i < n && text[i] !== '"' && text[i] !== '\\') i++;
      if (i > start) push(text.slice(start, i));
      if (i >= n) break;
      if (text[i] === '\\') {
        push(text.slice(i, i + 2));
        i += 2;
      } else {
        push('"');
        inString = false;
        i++;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        push(c);
        break;
      case '{':
      case '[': {
        let j = i + 1;
        while (j < n && /\s/.test(text[j])) j++;
        const close = c === '{' ? '}' : ']';
        if (text[j] === close) {
          push(c, close);
          i = j;
        } else {
          push(c);
          indent++;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        indent = Math.max(0, indent - 1);
        newline();
        push(c);
        break;
      case ',':
        push(',');
        newline();
        break;
      case ':':
        push(': ');
        break;
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        break;
      default:
        push(c);
    }
    i++;
  }
  return length > maxChars ? undefined : out.join('');
}

// ---------------------------------------------------------------- association

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

// ---------------------------------------------------------------- views

export interface BodyForDisplay {
  body: string;
  bodyKind: ExchangeView['bodyKind'];
  bodyCut?: ExchangeView['bodyCut'];
}

/** The body as the panel shows it: JSON re-indented when it fits the cap, else verbatim; cut at the cap. */
export function displayBody(bodyText: string, isJson: boolean, capChars: number): BodyForDisplay {
  if (bodyText === '') return { body: '', bodyKind: 'empty' };
  let text = bodyText;
  if (isJson && bodyText.length <= capChars) {
    const pretty = prettyJsonText(bodyText, capChars);
    if (pretty !== undefined && pretty.length <= capChars) text = pretty;
  }
  const kind = isJson ? 'json' : 'text';
  if (text.length <= capChars) return { body: text, bodyKind: kind };
  // Do not split a surrogate pair.
  let cut = capChars;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { body: text.slice(0, cut), bodyKind: kind, bodyCut: { shownChars: cut, totalChars: text.length } };
}

export function toExchangeView(ex: Exchange, id: number, capChars: number = LIMITS.previewChars): ExchangeView {
  const safeBody = redactBodyText(ex.bodyText ?? '');
  const view: ExchangeView = {
    id,
    startedAt: ex.startedAt,
    method: ex.method,
    origin: ex.origin,
    path: ex.path,
    durationMs: ex.durationMs,
    sizeBytes: ex.sizeBytes,
    requestHeaders: sanitizeRequestHeaders(ex.requestHeaders ?? {}),
    responseHeaders: { ...(ex.responseHeaders ?? {}) },
    ...displayBody(safeBody, ex.isJson, capChars),
    bodyTruncatedByClient: ex.bodyTruncated,
  };
  if (ex.tenant !== undefined) view.tenant = ex.tenant;
  if (ex.status !== undefined) view.status = ex.status;
  if (ex.statusText) view.statusText = ex.statusText;
  if (ex.requestId) view.requestId = ex.requestId;
  if (ex.requestBody !== undefined) view.requestBody = redactBodyText(ex.requestBody);
  if (ex.error) view.error = { kind: ex.error.kind, message: ex.error.message };
  if (ex.rateLimit) view.rateLimit = { ...ex.rateLimit };
  return view;
}

export function entryView(entry: VerificationEntry): EntryView {
  const s = entry.state;
  const view: EntryView = {
    key: entry.key,
    userId: s.userId,
    verificationId: s.verificationId,
    phase: s.phase,
    polling: entry.polling,
    source: entry.source,
    attempt: s.attempt,
    expiresAt: s.expiresAt,
  };
  if (s.tenant !== undefined) view.tenant = s.tenant;
  if (s.deviceId !== undefined) view.deviceId = s.deviceId;
  if (s.lastCheckedAt !== undefined) view.lastCheckedAt = s.lastCheckedAt;
  if (s.lastHttpStatus !== undefined) view.lastHttpStatus = s.lastHttpStatus;
  if (s.nextCheckAt !== undefined) view.nextCheckAt = s.nextCheckAt;
  if (s.retry) view.retry = { kind: s.retry.reason.kind, message: s.retry.reason.message, delayMs: s.retry.delayMs };
  if (s.error) view.error = { kind: s.error.kind, message: s.error.message, httpStatus: s.error.httpStatus, requestId: s.error.requestId };
  const t = entry.trigger;
  if (t) {
    view.triggered = true;
    view.deadlineSource = t.deadlineSource;
    if (t.deviceLabel) view.deviceLabel = t.deviceLabel;
    if (t.serverExpiresAt) view.serverExpiresAt = t.serverExpiresAt;
    if (t.needsCode !== undefined) view.acceptsCode = t.needsCode;
  }
  return view;
}

// ---------------------------------------------------------------- the log

interface Group {
  views: ExchangeView[];
  hidden: number;
  /** Insertion order, for evicting the oldest group. */
  seq: number;
}

export interface FullBody {
  text: string;
  isJson: boolean;
  /** False when only the preview is known (restored after a reload, or evicted from memory). */
  complete: boolean;
}

export class ExchangeLog {
  private readonly groups = new Map<string, Group>();
  private readonly bodies = new Map<number, { text: string; isJson: boolean }>();
  private bodyChars = 0;
  private nextId = 1;
  private groupSeq = 0;
  readonly limits: Limits;

  constructor(limits: Partial<Limits> = {}) {
    this.limits = { ...LIMITS, ...limits };
  }

  /** Records an exchange; returns its group key and view (the message to post). */
  add(ex: Exchange): { key: string; view: ExchangeView; hiddenExchanges: number } {
    const ref = associate(ex);
    const key = ref ? entryKey(ref.userId, ref.verificationId, ex.tenant) : OTHER_KEY;
    const id = this.nextId++;
    const view = toExchangeView(ex, id, this.limits.previewChars);
    const group = this.groupFor(key);
    group.views.push(view);
    this.trim(group);
    this.keepBody(id, redactBodyText(ex.bodyText ?? ''), ex.isJson);
    return { key, view, hiddenExchanges: group.hidden };
  }

  /** Re-adds exchange views restored from the webview's saved state (already validated), with fresh ids. */
  restore(key: string, views: ExchangeView[], hidden: number): void {
    if (this.groups.has(key)) return;
    const group = this.groupFor(key);
    group.hidden = hidden;
    for (const v of views) group.views.push({ ...v, id: this.nextId++, restored: true });
    this.trim(group);
  }

  keys(): string[] {
    return [...this.groups.keys()];
  }

  /** Every exchange view held, oldest first (for export). */
  all(): ExchangeView[] {
    return [...this.groups.values()].flatMap((g) => g.views).sort((a, b) => a.id - b.id);
  }

  /** The full body of an exchange only when it is still held complete (for export). */
  heldBody(id: number): string | undefined {
    return this.bodies.get(id)?.text;
  }

  group(key: string): { exchanges: ExchangeView[]; hiddenExchanges: number } {
    const g = this.groups.get(key);
    return { exchanges: g ? [...g.views] : [], hiddenExchanges: g?.hidden ?? 0 };
  }

  view(id: number): ExchangeView | undefined {
    for (const g of this.groups.values()) {
      const v = g.views.find((x) => x.id === id);
      if (v) return v;
    }
    return undefined;
  }

  /** The full body for "Open in editor" / "Copy", or the preview when the full body is gone. */
  fullBody(id: number): FullBody | undefined {
    const full = this.bodies.get(id);
    if (full) return { ...full, complete: true };
    const v = this.view(id);
    if (!v) return undefined;
    return { text: v.body, isJson: v.bodyKind === 'json', complete: !v.bodyCut && !v.bodyOmitted && !v.restored };
  }

  /** Drops the groups of the given keys (and their bodies). */
  remove(keys: Iterable<string>): void {
    for (const key of keys) {
      const g = this.groups.get(key);
      if (!g) continue;
      for (const v of g.views) this.dropBody(v.id);
      this.groups.delete(key);
    }
  }

  private groupFor(key: string): Group {
    let g = this.groups.get(key);
    if (!g) {
      g = { views: [], hidden: 0, seq: ++this.groupSeq };
      this.groups.set(key, g);
      if (this.groups.size > this.limits.maxGroups) {
        const oldest = [...this.groups.entries()].filter(([k]) => k !== key && k !== OTHER_KEY).sort((a, b) => a[1].seq - b[1].seq)[0];
        if (oldest) this.remove([oldest[0]]);
      }
    }
    return g;
  }

  private trim(group: Group): void {
    const excess = group.views.length - this.limits.maxExchangesPerGroup;
    if (excess > 0) {
      for (const v of group.views.splice(0, excess)) this.dropBody(v.id);
      group.hidden += excess;
    }
  }

  private keepBody(id: number, text: string, isJson: boolean): void {
    if (text.length > this.limits.fullBodyBudget) return;
    this.bodies.set(id, { text, isJson });
    this.bodyChars += text.length;
    for (const [oldId, b] of this.bodies) {
      if (this.bodyChars <= this.limits.fullBodyBudget) break;
      this.bodies.delete(oldId);
      this.bodyChars -= b.text.length;
    }
  }

  private dropBody(id: number): void {
    const b = this.bodies.get(id);
    if (b) {
      this.bodies.delete(id);
      this.bodyChars -= b.text.length;
    }
  }
}

// ---------------------------------------------------------------- snapshot

/**
 * Everything the webview needs after 'ready' or when it becomes visible again: the groups (entries
 * newest first, plus groups that only have exchanges), the other exchanges, and the limits. Bodies
 * beyond the snapshot budget (oldest first) are omitted; they can still be opened in an editor.
 */
export function buildSnapshot(
  entries: readonly VerificationEntry[],
  log: ExchangeLog,
  hostNow: number,
  extras: Pick<SnapshotMessage, 'rateLimit' | 'history' | 'devices'> = {},
): SnapshotMessage {
  const groups: GroupView[] = entries.map((e) => ({ entry: entryView(e), ...log.group(e.key) }));
  const known = new Set(entries.map((e) => e.key));
  for (const key of log.keys()) {
    if (key !== OTHER_KEY && !known.has(key)) groups.unshift({ entry: placeholderEntry(key), ...log.group(key) });
  }
  const other = log.group(OTHER_KEY);
  applyBodyBudget([...groups.map((g) => g.exchanges), other.exchanges], log.limits.snapshotBodyBudget);
  const snapshot: SnapshotMessage = {
    type: 'snapshot',
    hostNow,
    groups,
    other,
    limits: { maxExchangesPerGroup: log.limits.maxExchangesPerGroup, previewChars: log.limits.previewChars, maxGroups: log.limits.maxGroups },
  };
  if (extras.rateLimit) snapshot.rateLimit = extras.rateLimit;
  if (extras.history) snapshot.history = extras.history;
  if (extras.devices) snapshot.devices = extras.devices;
  return snapshot;
}

/** Newest exchanges keep their bodies until the budget is spent; older ones get `bodyOmitted`. */
function applyBodyBudget(lists: ExchangeView[][], budget: number): void {
  const all = lists.flatMap((list) => list.map((v, index) => ({ list, index, v })));
  all.sort((a, b) => b.v.id - a.v.id);
  let spent = 0;
  for (const item of all) {
    spent += item.v.body.length;
    if (spent > budget && item.v.body.length > 0) {
      item.list[item.index] = { ...item.v, body: '', bodyOmitted: true };
    }
  }
}

// ---------------------------------------------------------------- saved webview state

export interface RestoredState {
  states: PollState[];
  groups: { key: string; exchanges: ExchangeView[]; hiddenExchanges: number }[];
  other?: { exchanges: ExchangeView[]; hiddenExchanges: number };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
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
  if (!isObj(v)) return out;
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
  if (!isObj(v)) return undefined;
  const method = optString(v.method, 16);
  const path = optString(v.path, 2048);
  if (!method || path === undefined) return undefined;
  const kind = v.bodyKind === 'json' || v.bodyKind === 'text' || v.bodyKind === 'empty' ? v.bodyKind : 'text';
  const rawBody = redactBodyText(typeof v.body === 'string' ? v.body : '');
  const body = rawBody.slice(0, bodyChars);
  const previousCut = isObj(v.bodyCut) ? optNumber(v.bodyCut.totalChars) : undefined;
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
  if (isObj(v.error) && typeof v.error.kind === 'string' && typeof v.error.message === 'string') {
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
  if (!isObj(v) || typeof v.userId !== 'string' || typeof v.verificationId !== 'string') return undefined;
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
  const errorKind = isObj(v.error) ? ERROR_KINDS.find((k) => k === (v.error as Obj).kind) : undefined;
  if (isObj(v.error) && errorKind && typeof v.error.message === 'string') {
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
  if (!isObj(saved) || saved.version !== 1 || !Array.isArray(saved.groups)) return result;
  const seen = new Set<string>();
  for (const g of saved.groups.slice(0, limits.maxGroups)) {
    if (!isObj(g)) continue;
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
  if (isObj(saved.other)) {
    const { exchanges, hiddenExchanges } = restoreExchanges(saved.other.exchanges, limits);
    const hiddenBefore = optNumber(saved.other.hiddenExchanges) ?? 0;
    result.other = { exchanges, hiddenExchanges: Math.max(0, Math.floor(hiddenBefore)) + hiddenExchanges };
  }
  return result;
}
