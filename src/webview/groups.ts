/** The verification groups: each one's header (state, ids, countdown, actions) and the once-a-second countdown. */
import type { EntryView } from '../panel/messages';
import { button, el, fmt, time } from './dom';
import { model, secondsUntil, type Group } from './model';
import { list, S } from './shell';

export function findGroupNode(key: string): HTMLElement | undefined {
  for (const node of list.children) {
    if ((node as HTMLElement).dataset.key === key) return node as HTMLElement;
  }
  return undefined;
}

function metaText(entry: EntryView): string {
  const parts = [];
  const livePending = entry.polling && (entry.phase === 'pending' || entry.phase === 'idle');
  if (livePending) {
    parts.push(S.polling || 'polling');
    if (entry.expiresAt > 0) parts.push(fmt(S.secondsLeft, secondsUntil(entry.expiresAt)));
    if (!entry.retry && typeof entry.nextCheckAt === 'number') parts.push(fmt(S.nextCheck, secondsUntil(entry.nextCheckAt)));
  } else if (entry.phase === 'pending') {
    parts.push(S.notPolling || 'not polling');
  }
  parts.push(`${S.checks || 'Checks'}: ${entry.attempt || 0}`);
  parts.push(`${S.lastStatus || 'Last HTTP status'}: ${entry.lastHttpStatus ?? '—'}`);
  parts.push(`${S.lastCheck || 'Last check'}: ${time(entry.lastCheckedAt)}`);
  return parts.join(' · ');
}

/** Builds or updates the header of one group from its entry. */
export function renderEntry(node: HTMLElement, entry: EntryView): void {
  node.dataset.phase = entry.phase;
  node.dataset.polling = String(!!entry.polling);
  const header = node.querySelector('.verification-header') as HTMLElement;
  header.replaceChildren();

  const title = el('div', 'verification-title');
  title.append(el('span', `verification-state phase-${entry.phase}`, entry.phase));
  title.append(el('span', 'verification-id', entry.verificationId));
  const who = el('span', 'verification-who');
  who.append(el('span', 'label', `${S.user || 'User'} `), el('span', 'verification-user', entry.userId));
  if (entry.deviceId) who.append(el('span', 'label', ` · ${S.device || 'Device'} `), el('span', 'verification-device', entry.deviceId));
  if (entry.tenant) who.append(el('span', 'label', ` · ${S.tenant || 'Tenant'} `), el('span', 'verification-tenant', entry.tenant));
  title.append(who);
  header.append(title);

  header.append(el('div', 'verification-meta', metaText(entry)));
  if (entry.phase === 'error' && entry.error) {
    const suffix = entry.error.requestId ? ` (x-request-id ${entry.error.requestId})` : '';
    header.append(el('div', 'verification-error', `${entry.error.kind}: ${entry.error.message}${suffix}`));
  } else if (entry.polling && entry.retry) {
    header.append(el('div', 'verification-error retrying', `${fmt(S.retrying, entry.retry.kind, Math.ceil(entry.retry.delayMs / 1000))}: ${entry.retry.message}`));
  }
  if (entry.triggered) header.append(el('div', 'verification-trigger', triggerText(entry)));

  const actions = el('div', 'verification-actions');
  if (entry.polling) actions.append(button('stop', S.stop || 'Stop polling'));
  if (entry.userId && entry.verificationId) {
    actions.append(button('recheck', S.recheck || 'Re-check'));
    if (!entry.polling) actions.append(button('poll', S.poll || 'Poll'));
    if (offersOtp(entry)) actions.append(button('enter-otp', S.enterOtp || 'Enter OTP…'));
  }
  header.append(actions);
}

/**
 * "Enter OTP…" for a verification still open to a code: pending or expired, and either sent to a
 * factor that takes codes, sent from here, or expired (the OTP fallback).
 */
function offersOtp(entry: EntryView): boolean | undefined {
  const open = entry.phase === 'pending' || entry.phase === 'expired' || (entry.phase === 'idle' && entry.triggered);
  return open && (entry.acceptsCode === true || entry.triggered === true || entry.phase === 'expired');
}

function triggerText(entry: EntryView): string {
  const parts = [S.sentHere || 'sent from here'];
  if (entry.deviceLabel) parts.push(entry.deviceLabel);
  if (entry.acceptsCode) parts.push(S.needsCode || 'needs a code');
  if (typeof entry.serverExpiresAt === 'string') {
    const at = Date.parse(entry.serverExpiresAt);
    parts.push(fmt(S.serverExpiresAt || 'OneLogin expires_at {0}', isFinite(at) ? `${entry.serverExpiresAt} (${new Date(at).toLocaleTimeString()})` : entry.serverExpiresAt));
  }
  if (entry.expiresAt > 0) parts.push(fmt(S.deadlineLocal || 'watched until {0}', new Date(entry.expiresAt - model.skew).toLocaleTimeString()));
  return parts.join(' · ');
}

export function createGroupNode(group: Group, prepend: boolean): HTMLElement {
  const node = el('section', 'verification');
  node.dataset.key = group.entry.key;
  node.dataset.userId = group.entry.userId;
  node.dataset.verificationId = group.entry.verificationId;
  node.append(el('div', 'verification-header'));
  node.append(el('p', 'exchanges-hidden'));
  node.append(el('div', 'exchanges'));
  if (prepend) list.prepend(node);
  else list.append(node);
  return node;
}

export function renderHidden(node: HTMLElement, hidden: number): void {
  const p = node.querySelector(':scope > .exchanges-hidden') as HTMLElement;
  p.textContent = hidden > 0 ? fmt(S.hidden, hidden) : '';
  p.hidden = !(hidden > 0);
}

// ------------------------------------------------------------------ countdown

let ticker: ReturnType<typeof setInterval> | undefined;

/** Runs the countdown while any poll is pending, and only then. */
export function updateTicker(): void {
  const anyPending = [...model.groups.values()].some((g) => g.entry.polling && (g.entry.phase === 'pending' || g.entry.phase === 'idle'));
  if (anyPending && ticker === undefined) {
    ticker = setInterval(() => {
      for (const g of model.groups.values()) {
        if (!g.entry.polling) continue;
        const node = findGroupNode(g.entry.key);
        const meta = node && node.querySelector('.verification-meta');
        if (meta) meta.textContent = metaText(g.entry);
      }
    }, 1000);
  } else if (!anyPending && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}
