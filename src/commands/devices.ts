/**
 * List Devices: a user's enrolled devices (default first) and the factors they may enroll, shown in
 * the panel; interactively, a pick that leads to Send Verification for the chosen device.
 */
import * as vscode from 'vscode';
import { validateUserId } from '../onelogin/ids';
import type { Device } from '../onelogin/types';
import { acceptsCode, devicePickItems, devicesView, factorKind, orderDevices, type FactorKind } from '../verification/devices';
import { type ResultError, toResultError } from '../onelogin/errors';
import type { CommandContext } from './context';
import { notifyError } from './notify';
import { preflightError } from './preflight';
import { askUserId, rememberUserId } from './prompts';
import { triggerInteractive } from './trigger';
import { isPlainObject } from '../util/values';

export interface ListDevicesResult {
  userId: string;
  devices: { deviceId: string; userDisplayName?: string; typeDisplayName?: string; authFactorName?: string; isDefault: boolean; factor: FactorKind; acceptsCode: boolean }[];
  factors: { factorId: string; name?: string; authFactorName?: string }[];
  factorsError?: ResultError;
  error?: ResultError;
}

/** `onelogin-mfa.listDevices` — args `{ userId }`, or asks. Also reads the factors the user may enroll (for the panel). */
export async function listDevices(s: CommandContext, arg: unknown): Promise<ListDevicesResult | undefined> {
  const interactive = !isPlainObject(arg);
  let userId: string | undefined;
  if (interactive) {
    userId = await askUserId(s, vscode.l10n.t('OneLogin MFA: List Devices'));
    if (userId === undefined) return undefined;
  } else {
    try {
      userId = validateUserId(arg.userId);
    } catch (e) {
      const error: ResultError = { kind: 'invalidInput', code: 'INVALID_ID', message: e instanceof Error ? e.message : String(e) };
      notifyError(s, vscode.l10n.t('List devices'), error);
      return { userId: typeof arg.userId === 'string' ? arg.userId : '', devices: [], factors: [], error };
    }
  }
  await rememberUserId(s, userId);
  const what = vscode.l10n.t('Listing the devices of user {0}', userId);
  const blocked = await preflightError(s, interactive, what);
  if (blocked) return { userId, devices: [], factors: [], error: blocked };
  const client = s.app.clients.get(s.tenant);
  const [devicesOutcome, factorsOutcome] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: reading the devices of user {0}…', userId) },
    () => Promise.allSettled([client.listDevices(userId), client.listFactors(userId)]),
  );
  if (devicesOutcome.status === 'rejected') {
    const error = toResultError(devicesOutcome.reason);
    notifyError(s, what, error);
    return { userId, devices: [], factors: [], error };
  }
  const devices = orderDevices(devicesOutcome.value);
  const factors = factorsOutcome.status === 'fulfilled' ? factorsOutcome.value : [];
  const factorsError = factorsOutcome.status === 'rejected' ? toResultError(factorsOutcome.reason) : undefined;
  s.app.devices.record(devicesView(userId, devices, factors, Date.now(), factorsError?.message));
  s.panel.onDevices();

  const result: ListDevicesResult = {
    userId,
    devices: devices.map((d) => {
      const kind = factorKind(d);
      const row: ListDevicesResult['devices'][number] = { deviceId: d.deviceId, isDefault: d.isDefault, factor: kind, acceptsCode: acceptsCode(kind) };
      if (d.userDisplayName !== undefined) row.userDisplayName = d.userDisplayName;
      if (d.typeDisplayName !== undefined) row.typeDisplayName = d.typeDisplayName;
      if (d.authFactorName !== undefined) row.authFactorName = d.authFactorName;
      return row;
    }),
    factors: factors.map((f) => ({ ...f })),
  };
  if (factorsError) result.factorsError = factorsError;
  if (interactive) void pickListedDevice(s, userId, devices);
  return result;
}

async function pickListedDevice(s: CommandContext, userId: string, devices: Device[]): Promise<void> {
  if (devices.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('User {0} has no enrolled MFA device.', userId));
    return;
  }
  const picked = await vscode.window.showQuickPick(devicePickItems(devices, vscode.l10n.t), {
    title: vscode.l10n.t('OneLogin MFA: devices of user {0}', userId),
    placeHolder: vscode.l10n.t('Pick a device to send it a verification'),
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const send = vscode.l10n.t('Send Verification to this device');
  const panel = vscode.l10n.t('Show Panel');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} (device id {1}) of user {2}.', picked.label.replace(/^\$\([^)]*\)\s*/, ''), picked.deviceId, userId),
    send,
    panel,
  );
  if (choice === send) await triggerInteractive(s, { userId, deviceId: picked.deviceId });
  else if (choice === panel) s.panel.show();
}
