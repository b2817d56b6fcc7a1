/**
 * The user's enrolled devices (GET /devices) as the workflow needs them: what kind of factor each is
 * (a push to watch, a call, or a one-time code to type), the order they are offered in (the default
 * device first), and how they are labelled. Pure and `vscode`-free.
 */
import { formatMessage, type Localize } from '../util/l10n';
import type { Device, Factor } from '../onelogin/types';

/**
 * - push: OneLogin Protect; the user answers on the phone, polling sees the result.
 * - call: OneLogin Voice; polling sees the result, and a code may be asked after the call.
 * - code: Authenticator, SMS, Email, hardware tokens; nothing to poll for until a code is sent (PUT).
 * - unknown: a factor this extension does not know; polled, and a code can still be entered.
 */
export type FactorKind = 'push' | 'call' | 'code' | 'unknown';

const CODE_FACTORS = /authenticator|\bsms\b|text message|e-?mail|\botp\b|yubi|securid|\brsa\b|symantec|\bvip\b|one-?time|totp|hotp/i;

export function factorKind(d: Pick<Device, 'authFactorName' | 'typeDisplayName'>): FactorKind {
  const name = `${d.authFactorName ?? ''} ${d.typeDisplayName ?? ''}`;
  if (/protect/i.test(name)) return 'push';
  if (/voice|phone call/i.test(name)) return 'call';
  if (CODE_FACTORS.test(name)) return 'code';
  return 'unknown';
}

/** Whether a one-time code can (or must) be entered for this kind of factor. */
export function acceptsCode(kind: FactorKind): boolean {
  return kind !== 'push';
}

/** Whether the factor needs a code before it can be accepted at all (nothing happens on the phone). */
export function needsCode(kind: FactorKind): boolean {
  return kind === 'code';
}

/** The default device first, then the others in the order OneLogin listed them (a stable order). */
export function orderDevices(devices: readonly Device[]): Device[] {
  return devices
    .map((d, i) => ({ d, i }))
    .sort((a, b) => Number(b.d.isDefault) - Number(a.d.isDefault) || a.i - b.i)
    .map((x) => x.d);
}

/** The device OneLogin would use: the default one, else the first listed. */
export function defaultDevice(devices: readonly Device[]): Device | undefined {
  return devices.find((d) => d.isDefault) ?? devices[0];
}

/** "My iPhone · OneLogin Protect" (falls back to the type, then the id). */
export function deviceLabel(d: Pick<Device, 'deviceId' | 'userDisplayName' | 'typeDisplayName'>): string {
  const name = d.userDisplayName?.trim();
  const type = d.typeDisplayName?.trim();
  if (name && type && name !== type) return `${name} · ${type}`;
  return name || type || d.deviceId;
}

export interface DevicePickItem {
  label: string;
  description: string;
  detail: string;
  deviceId: string;
  /** Not `kind`: QuickPickItem uses that name for separators. */
  factor: FactorKind;
}

/** The QuickPick rows: display name, type (and "default"), and a note on factors that need a code. */
export function devicePickItems(devices: readonly Device[], t: Localize = formatMessage): DevicePickItem[] {
  return orderDevices(devices).map((d) => {
    const kind = factorKind(d);
    const description = [d.typeDisplayName ?? d.authFactorName ?? '', d.isDefault ? t('default') : ''].filter((x) => x !== '').join(' · ');
    const notes = [t('device id {0}', d.deviceId)];
    if (kind === 'code') notes.push(t('needs a one-time code'));
    else if (kind === 'call') notes.push(t('phone call; a code may be asked after the call'));
    else if (kind === 'push') notes.push(t('push to watch'));
    const icon = kind === 'code' ? '$(key)' : kind === 'call' ? '$(call-outgoing)' : '$(device-mobile)';
    return { label: `${icon} ${d.userDisplayName?.trim() || d.typeDisplayName?.trim() || d.deviceId}`, description, detail: notes.join(' · '), deviceId: d.deviceId, factor: kind };
  });
}

/** What the panel's `.factors` section shows for one user: devices (ordered) and enrollable factors. */
export interface DevicesView {
  userId: string;
  /** Epoch ms when the list was read. */
  fetchedAt: number;
  devices: { deviceId: string; label: string; type?: string; isDefault: boolean; kind: FactorKind }[];
  factors: { factorId: string; name: string; authFactorName?: string }[];
  /** Set when the factors could not be read (the devices still show). */
  factorsError?: string;
}

export function devicesView(userId: string, devices: readonly Device[], factors: readonly Factor[] | undefined, fetchedAt: number, factorsError?: string): DevicesView {
  const view: DevicesView = {
    userId,
    fetchedAt,
    devices: orderDevices(devices).map((d) => {
      const row: DevicesView['devices'][number] = { deviceId: d.deviceId, label: deviceLabel(d), isDefault: d.isDefault, kind: factorKind(d) };
      const type = d.typeDisplayName ?? d.authFactorName;
      if (type) row.type = type;
      return row;
    }),
    factors: (factors ?? []).map((f) => {
      const row: DevicesView['factors'][number] = { factorId: f.factorId, name: f.name ?? f.authFactorName ?? f.factorId };
      if (f.authFactorName) row.authFactorName = f.authFactorName;
      return row;
    }),
  };
  if (factorsError) view.factorsError = factorsError;
  return view;
}
