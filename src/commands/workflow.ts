/**
 * The whole verification workflow from the editor: Send Verification (pick a device, POST the push,
 * watch it at once), Enter OTP (the code fallback), List Devices, Export Exchange Log, Clear History,
 * and the panel's "Copy as cURL". Each command takes an argument object for programmatic callers and
 * returns a plain result without any secret; without arguments it asks.
 *
 * A push is never sent twice for the same user and device while one is pending (TriggerRegistry),
 * and nothing here ever POSTs as a retry: "Send Again" is a new, explicit user action, offered only
 * once the previous verification is over.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validateUserId } from '../onelogin/ids';
import { SecretScrubber } from '../onelogin/redact';
import type { Device, OtpResult, TriggeredVerification } from '../onelogin/types';
import type { ExchangeView } from '../panel/messages';
import { isTerminal, verificationKey, type PollState } from '../verification/types';
import { acceptsCode, defaultDevice, deviceLabel, devicePickItems, devicesView, factorKind, needsCode, orderDevices, type FactorKind } from '../verification/devices';
import { recordsModule } from '../records/loadRecords';
import type { CurlShell } from '../records/curlShells';
import type { ExportFormat } from '../records/exportLog';
import { normalizeOtp, otpProblem, outcomeActions, parseOtpArgs, wrongCodeMessage, type OtpCommandResult } from '../verification/otp';
import { alreadyPendingMessage, customMessageProblem, EXPIRES_IN, outcomeUnknownMessage, parseTriggerArgs, pollDeadline, triggerFailureIsRefusal, type TriggerArgs } from '../verification/trigger';
import { isOneLoginError, type ResultError, toResultError } from '../onelogin/errors';
import { pollResult, type VerificationCommandResult } from './results';
import type { Services } from './services';
import { notifyError } from './notify';
import { preflight } from './preflight';
import { askIds, askUserId, rememberIds, rememberUserId } from './prompts';
import { watchPoll } from './watch';
import { isPlainObject, shortId } from '../util/values';



/** A scrubber loaded with the stored credentials: the last check before text leaves the extension. */
async function scrubberFor(s: Services): Promise<(text: string) => string> {
  const scrubber = new SecretScrubber();
  // Every tenant's secrets: an exchange of any tenant may be copied or exported from here.
  const names = new Set([s.tenant, ...s.tenants.list().tenants.map((t) => t.name)]);
  for (const name of names) {
    const c = await s.credentials.get(name);
    if (c?.kind === 'accessToken') scrubber.add(c.accessToken);
    else if (c) scrubber.add(c.clientId, c.clientSecret);
  }
  return (text) => scrubber.scrub(text);
}

// ---------------------------------------------------------------- Send Verification

/** What triggerVerification returns: ids, states and times; never a secret. */
export interface TriggerCommandResult extends Partial<VerificationCommandResult> {
  state: VerificationCommandResult['state'];
  userId: string;
  deviceId?: string;
  verificationId?: string;
  /** Epoch ms (local clock) when polling gives up. */
  expiresAt?: number;
  /** expires_at exactly as OneLogin sent it (server clock). */
  serverExpiresAt?: string;
  /** Where the deadline came from: OneLogin's expires_at (consistent with its Date header), or now + expires_in. */
  deadlineSource?: 'server' | 'local';
  factor?: FactorKind;
  /** The factor takes a one-time code (Enter OTP…). */
  acceptsCode?: boolean;
  cancelled?: boolean;
}

interface SendContext {
  interactive: boolean;
  /** The device as listed, when known (label, kind). */
  device?: Device;
  /** The user clicked "Send Another Push" after an unknown outcome: that hold, and only that, is lifted. */
  sendAnother?: boolean;
}

function triggerError(userId: string, error: ResultError, deviceId?: string): TriggerCommandResult {
  const out: TriggerCommandResult = { state: 'error', userId, error };
  if (deviceId) out.deviceId = deviceId;
  if (error.httpStatus !== undefined) out.httpStatus = error.httpStatus;
  return out;
}

/** `onelogin-mfa.triggerVerification` — args `{ userId, deviceId?, expiresIn?, customMessage?, wait? }`, or asks. */
export async function triggerVerification(s: Services, arg: unknown): Promise<TriggerCommandResult | undefined> {
  const parsed = parseTriggerArgs(arg);
  if (parsed.kind === 'invalid') {
    notifyError(s, vscode.l10n.t('Send verification'), parsed.error);
    return triggerError(parsed.userId, parsed.error, parsed.deviceId);
  }
  if (parsed.kind === 'interactive') return triggerInteractive(s, {});
  const args = parsed.value;
  const what = vscode.l10n.t('Sending a verification to user {0}', args.userId);
  const problem = await preflight(s, false);
  if (problem) {
    if (!problem.notified) notifyError(s, what, problem.error);
    return triggerError(args.userId, problem.error, args.deviceId);
  }
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
export async function triggerInteractive(s: Services, preset: { userId?: string; deviceId?: string }): Promise<TriggerCommandResult | undefined> {
  const title = vscode.l10n.t('OneLogin MFA: Send Verification');
  const userId = preset.userId ?? (await askUserId(s, vscode.l10n.t('{0} (1/3): user', title)));
  if (userId === undefined) return undefined;
  await rememberUserId(s, userId);
  const what = vscode.l10n.t('Sending a verification to user {0}', userId);
  const problem = await preflight(s, true);
  if (problem) {
    if (!problem.notified) notifyError(s, what, problem.error);
    return triggerError(userId, problem.error);
  }
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

async function readDevices(s: Services, userId: string, what: string): Promise<{ devices: Device[] } | { error: ResultError }> {
  try {
    const devices = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: reading the devices of user {0}…', userId) },
      () => s.clients.get(s.tenant).listDevices(userId),
    );
    return { devices: orderDevices(devices) };
  } catch (e) {
    const error = toResultError(e);
    notifyError(s, what, error);
    return { error };
  }
}

function noDevicesError(s: Services, userId: string, what: string): ResultError {
  const error: ResultError = {
    kind: 'notFound',
    code: 'NO_DEVICES',
    message: vscode.l10n.t('User {0} has no enrolled MFA device: there is nothing to send a verification to.', userId),
  };
  notifyError(s, what, error);
  return error;
}

/** Checks the registry, POSTs once, and starts polling at once with the local deadline. */
async function sendAndWatch(s: Services, args: TriggerArgs & { deviceId: string }, ctx: SendContext): Promise<TriggerCommandResult> {
  const { userId, deviceId } = args;
  const what = vscode.l10n.t('Sending a verification to user {0}', userId);
  const kind = ctx.device ? factorKind(ctx.device) : 'unknown';

  if (ctx.sendAnother && s.triggers.pending(userId, deviceId)?.outcomeUnknown) s.triggers.release(userId, deviceId);
  const p = s.triggers.pending(userId, deviceId);
  if (p) {
    const message = alreadyPendingMessage(p, Date.now(), vscode.l10n.t);
    s.log.info(`Not sending: a verification for user ${userId} and device ${deviceId} is pending (${p.verificationId ?? 'being sent'}).`);
    if (p.outcomeUnknown) void offerSendAnother(s, message, args, ctx);
    else void offerPending(s, message, p.verificationId !== undefined ? { userId, verificationId: p.verificationId, deviceId } : undefined);
    const out = triggerError(userId, { kind: 'invalidInput', code: p.outcomeUnknown ? 'OUTCOME_UNKNOWN' : 'ALREADY_PENDING', message }, deviceId);
    if (p.verificationId) out.verificationId = p.verificationId;
    if (p.deadline !== undefined) out.expiresAt = p.deadline;
    return out;
  }
  s.triggers.reserve(userId, deviceId);

  let sent: TriggeredVerification;
  try {
    sent = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: sending a verification to user {0}…', userId) },
      () => s.clients.get(s.tenant).triggerVerification(userId, { deviceId, expiresIn: args.expiresIn, customMessage: args.customMessage }),
    );
  } catch (e) {
    const error = toResultError(e);
    if (error.code === 'INTERNAL') s.log.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (isOneLoginError(e) && triggerFailureIsRefusal(e)) {
      s.triggers.release(userId, deviceId); // OneLogin refused it (or it never left): nothing was sent
      notifyError(s, what, error);
      return triggerError(userId, error, deviceId);
    }
    // The POST may have reached OneLogin: hold the slot until the verification would have expired.
    const held = Date.now() + args.expiresIn * 1000;
    s.triggers.holdUnknown(userId, deviceId, held);
    const message = outcomeUnknownMessage(error.message, held, Date.now(), vscode.l10n.t);
    s.log.warn(`The push to device ${deviceId} of user ${userId} may have been sent (${error.kind}${error.httpStatus !== undefined ? `, HTTP ${error.httpStatus}` : ''}); no other push to it until ${new Date(held).toISOString()} unless the user asks.`);
    void offerSendAnother(s, message, args, ctx);
    const out = triggerError(userId, { ...error, code: 'OUTCOME_UNKNOWN', message }, deviceId);
    out.expiresAt = held;
    return out;
  }

  const verificationId = sent.id;
  const now = Date.now();
  const deadline = pollDeadline({ now, expiresInSeconds: args.expiresIn, expiresAt: sent.expiresAt, serverDate: sent.serverDate });
  // Reserve → POST → poll is one step: the poll starts before anything else is awaited.
  s.triggers.commit(userId, deviceId, verificationId, deadline.deadline);
  const label = ctx.device ? deviceLabel(ctx.device) : deviceId;
  s.store.annotate(
    userId,
    verificationId,
    {
      deviceId,
      deviceLabel: ctx.device ? label : undefined,
      needsCode: ctx.device ? acceptsCode(kind) : undefined,
      serverExpiresAt: sent.expiresAt,
      deadlineSource: deadline.source,
      triggeredAt: now,
    },
    s.tenant,
  );
  const { poller, done } = watchPoll(
    s,
    { userId, verificationId, expiresAt: deadline.deadline, deviceId },
    (final) => showTriggerOutcome(s, final, { ...args, device: ctx.device }),
    vscode.l10n.t('OneLogin MFA: verification sent to {0}', label),
  );
  if (sent.unusableExpiresAt !== undefined) s.log.warn(`OneLogin's expires_at for verification ${verificationId} is not a usable time (${sent.unusableExpiresAt}); watching until now + expires_in.`);
  s.log.info(
    `Verification ${verificationId} sent to device ${deviceId} of user ${userId} (HTTP ${sent.httpStatus}); expires_at ${sent.expiresAt ?? '(none)'}, ` +
      `watching until ${new Date(deadline.deadline).toISOString()} (${deadline.source === 'server' ? 'from expires_at and the Date header' : `local clock: ${deadline.reason ?? ''}`}` +
      `${deadline.skewMs !== undefined ? `, server clock ${deadline.skewMs >= 0 ? '+' : ''}${Math.round(deadline.skewMs / 1000)} s` : ''}).`,
  );

  await rememberIds(s, { userId, verificationId });
  if (ctx.interactive && needsCode(kind)) void promptOtp(s, { userId, verificationId, deviceId });

  const result = (state: PollState): TriggerCommandResult => {
    const out: TriggerCommandResult = { ...pollResult(state), deviceId, verificationId, deadlineSource: deadline.source };
    if (sent.expiresAt) out.serverExpiresAt = sent.expiresAt;
    if (ctx.device) {
      out.factor = kind;
      out.acceptsCode = acceptsCode(kind);
    }
    return out;
  };
  if (!args.wait) return result(poller.state);
  return result(await done);
}

/** After an unknown outcome: the only way to send again before the hold ends is this explicit button. */
async function offerSendAnother(s: Services, message: string, args: TriggerArgs & { deviceId: string }, ctx: SendContext): Promise<void> {
  const another = vscode.l10n.t('Send Another Push');
  const panel = vscode.l10n.t('Show Panel');
  const choice = await vscode.window.showWarningMessage(message, another, panel);
  if (choice === panel) s.panel.show();
  else if (choice === another) await sendAndWatch(s, { ...args, wait: false }, { ...ctx, interactive: true, sendAnother: true });
}

async function offerPending(s: Services, message: string, ids: { userId: string; verificationId: string; deviceId: string } | undefined): Promise<void> {
  const panel = vscode.l10n.t('Show Panel');
  const otp = vscode.l10n.t('Enter OTP…');
  const choice = await vscode.window.showWarningMessage(message, ...(ids ? [otp, panel] : [panel]));
  if (choice === panel) s.panel.show();
  else if (choice === otp && ids) await promptOtp(s, ids);
}

async function showTriggerOutcome(s: Services, final: PollState, sent: TriggerArgs & { deviceId: string; device?: Device }): Promise<void> {
  const id = shortId(final.verificationId);
  const device = sent.device ? deviceLabel(sent.device) : sent.deviceId;
  const labels = {
    enterOtp: vscode.l10n.t('Enter OTP…'),
    sendAgain: vscode.l10n.t('Send Again'),
    pollAgain: vscode.l10n.t('Poll Again'),
    showPanel: vscode.l10n.t('Show Panel'),
  };
  const actions = outcomeActions(final.phase, { triggered: true });
  const buttons = actions.map((a) => labels[a]);
  let choice: string | undefined;
  switch (final.phase) {
    case 'accepted':
      choice = await vscode.window.showInformationMessage(vscode.l10n.t('MFA accepted: user {0} approved verification {1} on {2}.', final.userId, id, device), ...buttons);
      break;
    case 'rejected':
      choice = await vscode.window.showWarningMessage(vscode.l10n.t('MFA rejected: user {0} denied verification {1} on {2}.', final.userId, id, device), ...buttons);
      break;
    case 'expired':
      choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('MFA expired: verification {0} sent to {1} got no answer in time. Enter the one-time code instead, or send a new one.', id, device),
        ...buttons,
      );
      break;
    case 'error':
      // Ended by the rate limit: its outcome is unknown and a new push would meet the same limit, so
      // none is offered, and none is sent to this device until the limit resets.
      if (final.error?.code === 'RATE_LIMITED') s.triggers.holdUnknown(sent.userId, sent.deviceId, Math.max(final.error.resetAt ?? 0, final.expiresAt));
      if (final.error) notifyError(s, vscode.l10n.t('Watching verification {0} stopped', id), final.error);
      return;
    default:
      return; // cancelled: asked for
  }
  const action = actions[buttons.indexOf(choice ?? '')];
  switch (action) {
    case 'showPanel':
      s.panel.show();
      return;
    case 'enterOtp':
      await promptOtp(s, { userId: final.userId, verificationId: final.verificationId, deviceId: sent.deviceId });
      return;
    case 'sendAgain': {
      // A new verification, and only because the old one is over (the registry would refuse otherwise).
      const again: TriggerArgs & { deviceId: string } = { userId: sent.userId, deviceId: sent.deviceId, expiresIn: sent.expiresIn, wait: false };
      if (sent.customMessage) again.customMessage = sent.customMessage;
      await sendAndWatch(s, again, { interactive: true, device: sent.device });
      return;
    }
    default:
      return;
  }
}

// ---------------------------------------------------------------- Enter OTP

function otpResultBase(s: Services, userId: string, verificationId: string): OtpCommandResult {
  const entry = s.store.get(verificationKey(userId, verificationId, s.tenant));
  return { accepted: false, state: entry?.state.phase ?? 'unknown', userId, verificationId };
}

/** `onelogin-mfa.verifyOtp` — args `{ userId, verificationId, otp, deviceId? }`, or asks (the code in a password box). */
export async function verifyOtp(s: Services, arg: unknown): Promise<OtpCommandResult | undefined> {
  const parsed = parseOtpArgs(arg);
  const what = vscode.l10n.t('Entering a one-time code');
  if (parsed.kind === 'invalid') {
    notifyError(s, what, parsed.error);
    return { accepted: false, state: 'unknown', userId: parsed.userId, verificationId: parsed.verificationId, error: parsed.error };
  }
  if (parsed.kind === 'interactive') {
    const ids = await askIds(s, vscode.l10n.t('OneLogin MFA: Enter OTP'));
    if (!ids) return undefined;
    const entry = s.store.get(verificationKey(ids.userId, ids.verificationId, s.tenant));
    const deviceId = entry?.trigger?.deviceId ?? entry?.state.deviceId;
    return promptOtp(s, { ...ids, deviceId });
  }
  const { userId, verificationId, otp, deviceId } = parsed.value;
  const problem = await preflight(s, false);
  if (problem) {
    if (!problem.notified) notifyError(s, what, problem.error);
    return { ...otpResultBase(s, userId, verificationId), error: problem.error };
  }
  return submitOtp(s, { userId, verificationId, otp, deviceId }, false);
}

/**
 * Asks for the code of one verification (password-style box: the code is not echoed, not logged, not
 * kept) and sends it; on a wrong code, offers to try again.
 */
export async function promptOtp(s: Services, ids: { userId: string; verificationId: string; deviceId?: string }): Promise<OtpCommandResult | undefined> {
  const problem = await preflight(s, true);
  if (problem) {
    if (!problem.notified) notifyError(s, vscode.l10n.t('Entering a one-time code'), problem.error);
    return { ...otpResultBase(s, ids.userId, ids.verificationId), error: problem.error };
  }
  for (;;) {
    const code = await vscode.window.showInputBox({
      title: vscode.l10n.t('OneLogin MFA: Enter OTP for verification {0}', shortId(ids.verificationId)),
      prompt: vscode.l10n.t('The one-time code from the authenticator app, SMS, email or the phone call (user {0}).', ids.userId),
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => otpProblem(v, vscode.l10n.t),
    });
    if (code === undefined) return { ...otpResultBase(s, ids.userId, ids.verificationId), cancelled: true };
    const result = await submitOtp(s, { ...ids, otp: normalizeOtp(code) }, true);
    if (result.accepted || result.error?.code !== 'OTP_REJECTED') return result;
    const retry = vscode.l10n.t('Retry');
    const choice = await vscode.window.showWarningMessage(result.error.message, retry, vscode.l10n.t('Show Panel'));
    if (choice !== retry) {
      if (choice !== undefined) s.panel.show();
      return result;
    }
  }
}

async function submitOtp(s: Services, args: { userId: string; verificationId: string; otp: string; deviceId?: string }, interactive: boolean): Promise<OtpCommandResult> {
  const { userId, verificationId, deviceId } = args;
  const what = vscode.l10n.t('Entering a one-time code');
  let r: OtpResult;
  try {
    r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: checking the code for {0}…', shortId(verificationId)) },
      () => s.clients.get(s.tenant).verifyOtp(userId, verificationId, args.otp, deviceId),
    );
  } catch (e) {
    const error = toResultError(e);
    if (error.code === 'INTERNAL') s.log.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    notifyError(s, what, error);
    return { ...otpResultBase(s, userId, verificationId), error, ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}) };
  }
  if (r.accepted) {
    // A running poll ends as accepted (status bar, panel, history and a waiting trigger all follow it);
    // otherwise the store records the outcome directly.
    const key = verificationKey(userId, verificationId, s.tenant);
    const settled = s.polls.settle(key, 'accepted', { lastHttpStatus: r.httpStatus });
    if (!settled) s.store.recordOtpAccepted(userId, verificationId, r.httpStatus, deviceId, s.tenant);
    s.log.info(`One-time code accepted for verification ${verificationId} of user ${userId} (HTTP ${r.httpStatus}).`);
    if (interactive && !settled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('MFA accepted: OneLogin accepted the code for verification {0} (user {1}).', shortId(verificationId), userId));
    }
    const out: OtpCommandResult = { accepted: true, state: 'accepted', userId, verificationId, httpStatus: r.httpStatus, message: r.message };
    if (deviceId) out.deviceId = deviceId;
    return out;
  }
  // Wrong (or expired) code: the verification is unchanged.
  s.log.warn(`OneLogin did not accept the one-time code for verification ${verificationId} of user ${userId} (HTTP ${r.httpStatus}).`);
  const message = wrongCodeMessage(verificationId, r.httpStatus, r.message, vscode.l10n.t);
  if (!interactive) void vscode.window.showWarningMessage(message);
  const out: OtpCommandResult = {
    ...otpResultBase(s, userId, verificationId),
    httpStatus: r.httpStatus,
    message: r.message,
    error: { kind: 'auth', code: 'OTP_REJECTED', message, httpStatus: r.httpStatus },
  };
  if (deviceId) out.deviceId = deviceId;
  return out;
}

// ---------------------------------------------------------------- List Devices

export interface ListDevicesResult {
  userId: string;
  devices: { deviceId: string; userDisplayName?: string; typeDisplayName?: string; authFactorName?: string; isDefault: boolean; factor: FactorKind; acceptsCode: boolean }[];
  factors: { factorId: string; name?: string; authFactorName?: string }[];
  factorsError?: ResultError;
  error?: ResultError;
}

/** `onelogin-mfa.listDevices` — args `{ userId }`, or asks. Also reads the factors the user may enroll (for the panel). */
export async function listDevices(s: Services, arg: unknown): Promise<ListDevicesResult | undefined> {
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
  const problem = await preflight(s, interactive);
  if (problem) {
    if (!problem.notified) notifyError(s, what, problem.error);
    return { userId, devices: [], factors: [], error: problem.error };
  }
  const client = s.clients.get(s.tenant);
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
  s.devices.value = devicesView(userId, devices, factors, Date.now(), factorsError?.message);
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

async function pickListedDevice(s: Services, userId: string, devices: Device[]): Promise<void> {
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

// ---------------------------------------------------------------- Export, cURL, history

export interface ExportResult {
  written: boolean;
  format?: ExportFormat;
  uri?: string;
  exchanges?: number;
  cancelled?: boolean;
  error?: ResultError;
}

function targetUri(raw: string): vscode.Uri | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(raw) || raw.startsWith('file:')) {
    try {
      return vscode.Uri.parse(raw, true);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(raw) ? vscode.Uri.file(raw) : undefined;
}

function exportInvalid(s: Services, message: string): ExportResult {
  const error: ResultError = { kind: 'invalidInput', code: 'INVALID_ARGUMENT', message };
  notifyError(s, vscode.l10n.t('Export the exchange log'), error);
  return { written: false, error };
}

/** `onelogin-mfa.exportLog` — args `{ format: 'json'|'har', uri }` (uri: an absolute path or a URI string), or asks. */
export async function exportExchangeLog(s: Services, arg: unknown, presetFormat?: ExportFormat): Promise<ExportResult> {
  let format: ExportFormat | undefined = presetFormat;
  let uri: vscode.Uri | undefined;
  if (isPlainObject(arg)) {
    if (arg.format !== 'json' && arg.format !== 'har') return exportInvalid(s, vscode.l10n.t('format must be "json" or "har".'));
    format = arg.format;
    if (arg.uri !== undefined) {
      uri = typeof arg.uri === 'string' ? targetUri(arg.uri) : undefined;
      if (!uri) return exportInvalid(s, vscode.l10n.t('uri must be an absolute file path or a URI string.'));
    }
  }
  if (!format) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'HAR 1.2', description: vscode.l10n.t('opens in browser dev tools and HTTP tools'), format: 'har' as const },
        { label: 'JSON', description: vscode.l10n.t('an array of the recorded exchanges'), format: 'json' as const },
      ],
      { title: vscode.l10n.t('OneLogin MFA: Export Exchange Log'), placeHolder: vscode.l10n.t('Format') },
    );
    if (!picked) return { written: false, cancelled: true };
    format = picked.format;
  }
  const items = s.exchanges.all().map((view) => ({ view, fullBody: s.exchanges.heldBody(view.id) }));
  if (!uri) {
    const name = recordsModule().defaultExportName(format, Date.now());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(os.homedir(), name));
    uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export {0} recorded exchanges', items.length),
      defaultUri,
      saveLabel: vscode.l10n.t('Export'),
      filters: format === 'har' ? { HAR: ['har'], JSON: ['json'] } : { JSON: ['json'] },
    });
    if (!uri) return { written: false, cancelled: true, format };
  }
  const ext = vscode.extensions.getExtension('onelogin-mfa-tools.onelogin-mfa-verify');
  const version = (ext?.packageJSON as { version?: unknown } | undefined)?.version;
  const text = recordsModule().exportLog(format, items, {
    scrub: await scrubberFor(s),
    creator: { name: 'OneLogin MFA Verify (VS Code)', version: typeof version === 'string' ? version : '0' },
  });
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  } catch (e) {
    const error: ResultError = { kind: 'invalidInput', code: 'WRITE_FAILED', message: vscode.l10n.t('Could not write {0}: {1}', uri.fsPath || uri.toString(), e instanceof Error ? e.message : String(e)) };
    notifyError(s, vscode.l10n.t('Export the exchange log'), error);
    return { written: false, format, uri: uri.toString(), error };
  }
  s.log.info(`Exported ${items.length} exchanges as ${format.toUpperCase()} to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}.`);
  if (!isPlainObject(arg) || arg.uri === undefined) {
    const open = vscode.l10n.t('Open');
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} exchanges to {1}.', items.length, path.basename(uri.path)), open).then((choice) => {
      if (choice === open && uri) void vscode.window.showTextDocument(uri);
    });
  }
  return { written: true, format, uri: uri.toString(), exchanges: items.length };
}

/** The cURL command of one exchange view (placeholders, scrubbed). */
export async function curlFor(s: Services, view: ExchangeView, shell?: CurlShell): Promise<string> {
  const command = recordsModule().curlCommand(view, { scrub: await scrubberFor(s), shell });
  // Which account the command talks to: a comment line (`#` in POSIX shells and PowerShell, `rem` in cmd).
  if (!view.tenant) return command;
  return `${shell === 'cmd' ? 'rem' : '#'} OneLogin tenant: ${view.tenant}\n${command}`;
}

/** `onelogin-mfa.clearHistory`. */
export async function clearHistory(s: Services): Promise<{ cleared: number }> {
  const cleared = await s.history.clear();
  vscode.window.setStatusBarMessage(vscode.l10n.t('OneLogin MFA: history cleared ({0} entries).', cleared), 3000);
  return { cleared };
}

/** What the panel's "Enter OTP…" button does: the OTP prompt for that verification. */
export function enterOtpFromPanel(s: Services, userId: string, verificationId: string): void {
  const entry = s.store.get(verificationKey(userId, verificationId, s.tenant));
  if (entry && isTerminal(entry.state.phase) && entry.state.phase !== 'expired') return;
  void promptOtp(s, { userId, verificationId, deviceId: entry?.trigger?.deviceId ?? entry?.state.deviceId });
}
