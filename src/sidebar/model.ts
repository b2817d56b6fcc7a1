/**
 * What the sidebar tree shows, as plain data: sections (Live, Recent, Devices) and their rows, with
 * label, description, icon, tooltip and the `contextValue` the manifest's menus match on. Pure and
 * `vscode`-free (like the status bar model), so the rows are unit-tested in plain Node; tree.ts only maps
 * them to TreeItems. Rows carry ids, states and times only: never a secret.
 */
import { formatMessage, type Localize } from '../util/l10n';
import type { PollPhase } from '../verification/types';
import type { VerificationEntry } from '../verification/store';
import type { DevicesView, FactorKind } from '../verification/devices';
import { MAX_DEVICE_USERS } from '../records/recentDevices';
import type { HistoryEntry } from '../records/history';
import { shortId } from '../util/values';
import { secondsLeft } from '../util/time';
import { phaseText } from '../verification/phaseText';

export type SectionId = 'live' | 'recent' | 'devices';

/**
 * `contextValue`s (package.json menus match them with `viewItem =~ /.../`):
 *  verification.live[.otp]     a running poll (Stop, Re-check; Enter OTP… when it takes a code)
 *  verification.recent[.otp]   a settled one from the history (Re-check, Poll; Enter OTP… when expired)
 *  device[.code]               a device (Send Verification…; `.code` when it needs a one-time code)
 */
export type RowContext = 'section' | 'user' | 'verification.live' | 'verification.live.otp' | 'verification.recent' | 'verification.recent.otp' | 'device' | 'device.code';

export interface SidebarRow {
  /** Unique in the tree and stable across refreshes (keeps selection and expansion). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, e.g. 'sync~spin'. */
  icon?: string;
  /** A theme colour id for the icon, e.g. 'testing.iconPassed'. */
  iconColor?: string;
  context: RowContext;
  /** Whether the row has children (sections and users). */
  collapsible?: 'expanded' | 'collapsed';
  /** What the actions need; plain data, so the row can be handed to a command as its argument. */
  userId?: string;
  verificationId?: string;
  deviceId?: string;
  section?: SectionId;
}

export interface SidebarData {
  /** The store's entries (newest first). */
  entries: readonly VerificationEntry[];
  /** The history (newest first). */
  history: readonly HistoryEntry[];
  /** Device listings of recently looked-at users, newest first. */
  devices: readonly DevicesView[];
}

export interface SidebarOptions {
  now: number;
  t?: Localize;
  formatTime?: (epochMs: number) => string;
}

const ICON: Record<PollPhase, { icon: string; color?: string }> = {
  idle: { icon: 'circle-large-outline' },
  pending: { icon: 'sync~spin' },
  accepted: { icon: 'pass-filled', color: 'testing.iconPassed' },
  rejected: { icon: 'error', color: 'testing.iconFailed' },
  expired: { icon: 'watch', color: 'list.warningForeground' },
  cancelled: { icon: 'circle-slash' },
  error: { icon: 'warning', color: 'list.errorForeground' },
};

const FACTOR_ICON: Record<FactorKind, string> = { push: 'device-mobile', call: 'call-outgoing', code: 'key', unknown: 'question' };

/** Running verifications: a poll loop is active. */
function liveEntries(entries: readonly VerificationEntry[]): VerificationEntry[] {
  return entries.filter((e) => e.polling);
}

/** Whether a countdown is shown (the tree then refreshes its Live rows once a second, and only then). */
export function isTicking(entries: readonly VerificationEntry[]): boolean {
  return entries.some((e) => e.polling && e.state.expiresAt > 0);
}


function liveRow(e: VerificationEntry, o: Required<SidebarOptions>): SidebarRow {
  const s = e.state;
  const { t } = o;
  const word = phaseText(s.phase, s.error?.kind, t);
  const parts = [word];
  if (s.expiresAt > 0) parts.push(t('{0} s left', secondsLeft(s.expiresAt, o.now)));
  if (s.retry) parts.push(t('retrying after {0}', s.retry.reason.kind));
  const otp = e.trigger?.needsCode === true;
  const icon = ICON[s.phase];
  const device = e.trigger?.deviceLabel ?? s.deviceId;
  const row: SidebarRow = {
    id: `live:${e.key}`,
    label: shortId(s.verificationId),
    description: `${t('user {0}', s.userId)} · ${parts.join(' · ')}`,
    tooltip: [
      t('Verification {0}', s.verificationId),
      t('User id: {0}', s.userId),
      t('Device: {0}', device ?? '—'),
      t('State: {0}', word),
      t('Checks: {0}', s.attempt),
      t('Last HTTP status: {0}', s.lastHttpStatus ?? '—'),
    ].join('\n'),
    icon: icon.icon,
    context: otp ? 'verification.live.otp' : 'verification.live',
    userId: s.userId,
    verificationId: s.verificationId,
  };
  if (icon.color) row.iconColor = icon.color;
  const deviceId = s.deviceId ?? e.trigger?.deviceId;
  if (deviceId) row.deviceId = deviceId;
  return row;
}

/** A history row says a pending one was checked once, not polled; otherwise the status bar's word. */
function settledPhaseText(phase: PollPhase, errorKind: string | undefined, t: Localize): string {
  return phase === 'pending' ? t('pending (checked once)') : phaseText(phase, errorKind, t);
}

function recentRow(h: HistoryEntry, o: Required<SidebarOptions>): SidebarRow {
  const { t } = o;
  const word = settledPhaseText(h.phase, h.errorKind, t);
  const icon = h.phase === 'pending' ? { icon: 'clock' } : ICON[h.phase];
  const row: SidebarRow = {
    id: `recent:${h.key}`,
    label: shortId(h.verificationId),
    description: `${t('user {0}', h.userId)} · ${word} · ${o.formatTime(h.endedAt)}`,
    tooltip: [
      t('Verification {0}', h.verificationId),
      t('User id: {0}', h.userId),
      t('Device id: {0}', h.deviceId ?? '—'),
      t('Outcome: {0}', word),
      t('Checks: {0}', h.attempts),
      t('From {0} to {1}', o.formatTime(h.startedAt), o.formatTime(h.endedAt)),
    ].join('\n'),
    icon: icon.icon,
    context: h.phase === 'expired' || h.phase === 'pending' ? 'verification.recent.otp' : 'verification.recent',
    userId: h.userId,
    verificationId: h.verificationId,
  };
  if (icon.color) row.iconColor = icon.color;
  if (h.deviceId) row.deviceId = h.deviceId;
  return row;
}

function deviceRows(view: DevicesView, t: Localize): SidebarRow[] {
  return view.devices.map((d) => {
    const notes = [d.type ?? d.kind];
    if (d.isDefault) notes.push(t('default'));
    if (d.kind === 'code') notes.push(t('needs a code'));
    return {
      id: `device:${view.userId}/${d.deviceId}`,
      label: d.label,
      description: notes.join(' · '),
      tooltip: [d.label, t('device id {0}', d.deviceId), t('User id: {0}', view.userId)].join('\n'),
      icon: FACTOR_ICON[d.kind],
      context: d.kind === 'code' ? 'device.code' : 'device',
      userId: view.userId,
      deviceId: d.deviceId,
    };
  });
}

/** The Devices section: one row per user (newest first), devices under it. */
function userRows(devices: readonly DevicesView[], t: Localize): SidebarRow[] {
  return devices.slice(0, MAX_DEVICE_USERS).map((v, i) => ({
    id: `user:${v.userId}`,
    label: t('User {0}', v.userId),
    description: v.devices.length === 1 ? t('1 device') : t('{0} devices', v.devices.length),
    icon: 'account',
    context: 'user',
    collapsible: i === 0 ? 'expanded' : 'collapsed',
    userId: v.userId,
    section: 'devices',
  }));
}

export class SidebarModel {
  private readonly o: Required<SidebarOptions>;

  constructor(
    private readonly data: SidebarData,
    opts: SidebarOptions,
  ) {
    this.o = { t: formatMessage, formatTime: (ms) => new Date(ms).toLocaleTimeString(), ...opts };
  }

  /** The sections that have something to show; none at all lets the view show its welcome content. */
  sections(): SidebarRow[] {
    const { t } = this.o;
    const out: SidebarRow[] = [];
    const live = liveEntries(this.data.entries);
    if (live.length > 0) out.push(section('live', t('Live'), String(live.length), 'pulse'));
    if (this.data.history.length > 0) out.push(section('recent', t('Recent'), String(this.data.history.length), 'history'));
    if (this.data.devices.length > 0) out.push(section('devices', t('Devices'), undefined, 'device-mobile'));
    return out;
  }

  children(row: SidebarRow): SidebarRow[] {
    if (row.context === 'user') {
      const view = this.data.devices.find((v) => v.userId === row.userId);
      return view ? deviceRows(view, this.o.t) : [];
    }
    switch (row.section) {
      case 'live':
        return liveEntries(this.data.entries).map((e) => liveRow(e, this.o));
      case 'recent':
        return this.data.history.map((h) => recentRow(h, this.o));
      case 'devices':
        return userRows(this.data.devices, this.o.t);
      default:
        return [];
    }
  }
}

function section(id: SectionId, label: string, description: string | undefined, icon: string): SidebarRow {
  const row: SidebarRow = { id: `section:${id}`, label, icon, context: 'section', collapsible: 'expanded', section: id };
  if (description !== undefined) row.description = description;
  return row;
}
