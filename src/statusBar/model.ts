/**
 * What the one status bar item shows, as plain data: text (one codicon and a short word), tooltip,
 * background and accessibility label. Pure and `vscode`-free so it is unit-tested in plain Node;
 * statusBar.ts only copies the model onto the item.
 *
 * Visibility: the item is shown from activation on (activation happens only when the user runs one of
 * our commands or a panel is restored), idle as "$(shield) MFA", so the panel is always one click away
 * and the item never jumps in and out of the status bar.
 */
import { formatMessage, type Localize } from '../util/l10n';
import type { VerificationEntry } from '../verification/store';
import type { PollPhase } from '../verification/types';
import { phaseText } from '../verification/phaseText';
import { secondsLeft } from '../util/time';

export type StatusBarBackground = 'error' | 'warning' | undefined;

export interface StatusBarModel {
  text: string;
  tooltip: string;
  ariaLabel: string;
  background: StatusBarBackground;
  /** True while a countdown is shown: the caller refreshes the item once a second, and only then. */
  ticking: boolean;
}

export interface StatusBarModelOptions {
  now: number;
  t?: Localize;
  /** Formats an epoch ms as a time of day; defaults to the host's locale. */
  formatTime?: (epochMs: number) => string;
  /** At most this many verifications are detailed in the tooltip. */
  maxTooltipEntries?: number;
  /** The rate-limit gauge's line ("API rate limit: 4988 of 5000 calls left, …"), when one was seen. */
  rateLimitLine?: string;
  /** Set only when several tenants are configured: the active one. Then tenants are named; with one, nothing extra shows. */
  activeTenant?: string;
}

const ICON: Record<PollPhase, string> = {
  idle: '$(shield)',
  pending: '$(sync~spin)',
  accepted: '$(pass-filled)',
  rejected: '$(error)',
  expired: '$(watch)',
  cancelled: '$(circle-slash)',
  error: '$(warning)',
};

const BACKGROUND: Record<PollPhase, StatusBarBackground> = {
  idle: undefined,
  pending: undefined,
  accepted: undefined,
  rejected: 'error',
  expired: 'warning',
  cancelled: undefined,
  error: 'error',
};

function isLivePending(e: VerificationEntry): boolean {
  return e.polling && (e.state.phase === 'pending' || e.state.phase === 'idle');
}

/** The short word for an entry's phase. */
function phaseWord(e: VerificationEntry, t: Localize): string {
  return phaseText(e.state.phase, e.state.error?.kind, t);
}

function describeState(e: VerificationEntry, now: number, t: Localize): string {
  const s = e.state;
  if (isLivePending(e)) {
    const parts = [t('pending, {0} s left', secondsLeft(s.expiresAt, now))];
    if (s.retry) {
      parts.push(t('retrying after {0} ({1} s)', s.retry.reason.kind, Math.ceil(s.retry.delayMs / 1000)));
    } else if (s.nextCheckAt !== undefined) {
      parts.push(t('next check in {0} s', secondsLeft(s.nextCheckAt, now)));
    }
    return parts.join('; ');
  }
  if (s.phase === 'pending') {
    return e.source === 'restored' ? t('pending when last seen (not polling)') : t('pending (checked once, not polling)');
  }
  if (s.phase === 'error' && s.error) return t('error ({0}): {1}', s.error.kind, s.error.message);
  return phaseWord(e, t);
}

function tooltipBlock(e: VerificationEntry, now: number, t: Localize, formatTime: (ms: number) => string, namesTenants: boolean): string[] {
  const s = e.state;
  const lines = [
    t('Verification {0}', s.verificationId),
    `  ${t('State: {0}', describeState(e, now, t))}`,
    ...(namesTenants ? [`  ${t('Tenant: {0}', s.tenant ?? 'default')}`] : []),
    `  ${t('User id: {0}', s.userId)}`,
    `  ${t('Device id: {0}', s.deviceId ?? '—')}`,
    `  ${t('Last HTTP status: {0}', s.lastHttpStatus ?? '—')}`,
    `  ${t('Checks: {0}', s.attempt)}`,
    `  ${t('Last check: {0}', s.lastCheckedAt !== undefined ? formatTime(s.lastCheckedAt) : '—')}`,
  ];
  return lines;
}

export function statusBarModel(entries: readonly VerificationEntry[], opts: StatusBarModelOptions): StatusBarModel {
  const t = opts.t ?? formatMessage;
  const formatTime = opts.formatTime ?? ((ms: number): string => new Date(ms).toLocaleTimeString());
  const maxEntries = opts.maxTooltipEntries ?? 5;
  const now = opts.now;
  const clickHint = t('Click to open the OneLogin MFA panel.');

  // Entries restored from before a reload are history: the panel shows them, the status bar does not.
  const live = entries.filter((e) => e.source !== 'restored');
  const rateLimit = opts.rateLimitLine ? [opts.rateLimitLine] : [];
  const tenantLine = opts.activeTenant !== undefined ? [t('Active tenant: {0}', opts.activeTenant)] : [];
  // Several tenants: the text ends with the active one (where the next command goes); one tenant: nothing.
  const tenantSuffix = opts.activeTenant !== undefined ? ` · ${opts.activeTenant}` : '';
  if (live.length === 0) {
    const tooltip = [t('OneLogin MFA: no verification checked in this window yet.'), ...tenantLine, ...rateLimit, clickHint].join('\n');
    return { text: `${ICON.idle} ${t('MFA')}${tenantSuffix}`, tooltip, ariaLabel: t('OneLogin MFA: idle'), background: undefined, ticking: false };
  }

  const pending = live.filter(isLivePending);
  const latest = [...live].sort((a, b) => b.updatedAt - a.updatedAt)[0];
  // Pending polls first (soonest expiry first), then the rest, most recently updated first.
  const ordered = [
    ...[...pending].sort((a, b) => a.state.expiresAt - b.state.expiresAt),
    ...live.filter((e) => !isLivePending(e)).sort((a, b) => b.updatedAt - a.updatedAt),
  ];

  let text: string;
  let summary: string;
  let background: StatusBarBackground;
  if (pending.length > 0) {
    const left = secondsLeft(ordered[0].state.expiresAt, now);
    summary = pending.length === 1 ? t('MFA pending {0}s', left) : t('MFA {0} pending {1}s', pending.length, left);
    text = `${ICON.pending} ${summary}`;
    background = undefined;
  } else {
    const icon = latest.state.phase === 'pending' ? '$(clock)' : ICON[latest.state.phase];
    summary = t('MFA {0}', phaseWord(latest, t));
    const others = live.length - 1;
    text = others > 0 ? `${icon} ${summary} (+${others})` : `${icon} ${summary}`;
    background = BACKGROUND[latest.state.phase];
  }

  const header =
    pending.length > 0
      ? t('OneLogin MFA: {0} pending, {1} in total', pending.length, live.length)
      : live.length === 1
        ? t('OneLogin MFA')
        : t('OneLogin MFA: {0} verifications', live.length);
  text += tenantSuffix;
  const blocks = ordered.slice(0, maxEntries).map((e) => tooltipBlock(e, now, t, formatTime, opts.activeTenant !== undefined).join('\n'));
  const hidden = ordered.length - blocks.length;
  const tooltip = [header, ...blocks, ...(hidden > 0 ? [t('…and {0} more in the panel', hidden)] : []), ...tenantLine, ...rateLimit, clickHint].join('\n\n');
  const ariaLabel = pending.length > 0 ? `OneLogin ${summary}` : t('OneLogin MFA: {0}', describeState(latest, now, t));
  return { text, tooltip, ariaLabel, background, ticking: pending.length > 0 };
}
