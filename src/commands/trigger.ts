/**
 * Send Verification: from an argument object (the user's default device unless one is given), or
 * interactively (user id, device pick with the default first and code factors marked, an optional
 * message). Both end in sendAndWatch. Returns a plain result without any secret.
 */
import * as vscode from 'vscode';
import type { Device } from '../onelogin/types';
import { defaultDevice, deviceLabel, devicePickItems, factorKind, orderDevices } from '../verification/devices';
import { customMessageProblem, EXPIRES_IN, parseTriggerArgs, type TriggerArgs } from '../verification/trigger';
import { type ResultError, toResultError } from '../onelogin/errors';
import { triggerError, type TriggerCommandResult } from './results';
import type { CommandContext } from './context';
import { notifyError } from './notify';
import { preflightError } from './preflight';
import { askUserId, rememberUserId } from './prompts';
import { sendAndWatch } from './sendAndWatch';

/** `onelogin-mfa.triggerVerification` — args `{ userId, deviceId?, expiresIn?, customMessage?, wait? }`, or asks. */
export async function triggerVerification(s: CommandContext, arg: unknown): Promise<TriggerCommandResult | undefined> {
  const parsed = parseTriggerArgs(arg);
  if (parsed.kind === 'invalid') {
    notifyError(s, vscode.l10n.t('Send verification'), parsed.error);
    return triggerError(parsed.userId, parsed.error, parsed.deviceId);
  }
  if (parsed.kind === 'interactive') return triggerInteractive(s, {});
  const args = parsed.value;
  const what = vscode.l10n.t('Sending a verification to user {0}', args.userId);
  const blocked = await preflightError(s, false, what);
  if (blocked) return triggerError(args.userId, blocked, args.deviceId);
  let device: Device | undefined;
  if (!args.deviceId) {
    // No device given: the user's default one, as OneLogin's own UI would pick.
    const listed = await readDevices(s, args.userId, what);
    if ('error' in listed) return triggerError(args.userId, listed.error);
    device = defaultDevice(listed.devices);
    if (!device) return triggerError(args.userId, noDevicesError(s, args.userId, what));
    args.deviceId = device.deviceId;
  }
  return sendAndWatch(s, { ...args, deviceId: args.deviceId }, { interactive: false, device });
}

/**
 * The interactive flow: user id (remembered), device QuickPick (default first; code factors marked),
 * optional custom message, then send and watch. `preset` skips what is already known.
 */
export async function triggerInteractive(s: CommandContext, preset: { userId?: string; deviceId?: string }): Promise<TriggerCommandResult | undefined> {
  const title = vscode.l10n.t('OneLogin MFA: Send Verification');
  const userId = preset.userId ?? (await askUserId(s, vscode.l10n.t('{0} (1/3): user', title)));
  if (userId === undefined) return undefined;
  await rememberUserId(s, userId);
  const what = vscode.l10n.t('Sending a verification to user {0}', userId);
  const blocked = await preflightError(s, true, what);
  if (blocked) return triggerError(userId, blocked);
  const listed = await readDevices(s, userId, what);
  if ('error' in listed) return triggerError(userId, listed.error);
  if (listed.devices.length === 0) return triggerError(userId, noDevicesError(s, userId, what));

  let device: Device | undefined;
  if (preset.deviceId) {
    device = listed.devices.find((d) => d.deviceId === preset.deviceId);
    if (!device) {
      const error: ResultError = { kind: 'notFound', code: 'UNKNOWN_DEVICE', message: vscode.l10n.t('User {0} has no enrolled device {1}.', userId, preset.deviceId) };
      notifyError(s, what, error);
      return triggerError(userId, error, preset.deviceId);
    }
  } else {
    const items = devicePickItems(listed.devices, vscode.l10n.t);
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('{0} (2/3): device', title),
      placeHolder: vscode.l10n.t('The device to send the verification to (the default one is first)'),
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    device = listed.devices.find((d) => d.deviceId === picked.deviceId);
  }
  if (!device) return undefined;

  const kind = factorKind(device);
  const customMessage = await vscode.window.showInputBox({
    title: vscode.l10n.t('{0} (3/3): message', title),
    prompt:
      kind === 'push'
        ? vscode.l10n.t('Optional: a message shown with the push (at most 160 characters). Press Enter to send to {0}.', deviceLabel(device))
        : vscode.l10n.t('Optional: a custom message (at most 160 characters). Press Enter to send to {0}.', deviceLabel(device)),
    placeHolder: vscode.l10n.t('(no message)'),
    ignoreFocusOut: true,
    validateInput: (v) => customMessageProblem(v, vscode.l10n.t),
  });
  if (customMessage === undefined) return { state: 'cancelled', userId, deviceId: device.deviceId, cancelled: true };
  const args: TriggerArgs & { deviceId: string } = { userId, deviceId: device.deviceId, expiresIn: EXPIRES_IN.default, wait: false };
  if (customMessage.trim() !== '') args.customMessage = customMessage;
  return sendAndWatch(s, args, { interactive: true, device });
}

async function readDevices(s: CommandContext, userId: string, what: string): Promise<{ devices: Device[] } | { error: ResultError }> {
  try {
    const devices = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: reading the devices of user {0}…', userId) },
      () => s.app.clients.get(s.tenant).listDevices(userId),
    );
    return { devices: orderDevices(devices) };
  } catch (e) {
    const error = toResultError(e);
    notifyError(s, what, error);
    return { error };
  }
}

function noDevicesError(s: CommandContext, userId: string, what: string): ResultError {
  const error: ResultError = {
    kind: 'notFound',
    code: 'NO_DEVICES',
    message: vscode.l10n.t('User {0} has no enrolled MFA device: there is nothing to send a verification to.', userId),
  };
  notifyError(s, what, error);
  return error;
}
