/**
 * Sending one verification and watching it: the registry guard, one POST, the poll started at once
 * with its deadline, and the outcome notification with its buttons (Send Again, Enter OTP…).
 *
 * A push is never sent twice for the same user and device while one is pending (TriggerRegistry),
 * and nothing here ever POSTs as a retry: "Send Again" is a new, explicit user action, offered only
 * once the previous verification is over.
 */
import * as vscode from 'vscode';
import type { Device, TriggeredVerification } from '../onelogin/types';
import type { PollState } from '../verification/types';
import { acceptsCode, deviceLabel, factorKind, needsCode } from '../verification/devices';
import { outcomeActions } from '../verification/otp';
import { alreadyPendingMessage, outcomeUnknownMessage, pollDeadline, triggerFailureIsRefusal, type TriggerArgs } from '../verification/trigger';
import { isOneLoginError, toResultError } from '../onelogin/errors';
import { pollResult, triggerError, type TriggerCommandResult } from './results';
import type { CommandContext } from './context';
import { notifyError } from './notify';
import { promptOtp } from './otp';
import { rememberIds } from './prompts';
import { watchPoll } from './watch';
import { shortId } from '../util/values';

export interface SendContext {
  interactive: boolean;
  /** The device as listed, when known (label, kind). */
  device?: Device;
  /** The user clicked "Send Another Push" after an unknown outcome: that hold, and only that, is lifted. */
  sendAnother?: boolean;
}

export /** Checks the registry, POSTs once, and starts polling at once with the local deadline. */
async function sendAndWatch(s: CommandContext, args: TriggerArgs & { deviceId: string }, ctx: SendContext): Promise<TriggerCommandResult> {
  const { userId, deviceId } = args;
  const what = vscode.l10n.t('Sending a verification to user {0}', userId);
  const kind = ctx.device ? factorKind(ctx.device) : 'unknown';

  if (ctx.sendAnother && s.app.triggers.pending(userId, deviceId)?.outcomeUnknown) s.app.triggers.release(userId, deviceId);
  const p = s.app.triggers.pending(userId, deviceId);
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
  s.app.triggers.reserve(userId, deviceId);

  let sent: TriggeredVerification;
  try {
    sent = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: sending a verification to user {0}…', userId) },
      () => s.app.clients.get(s.tenant).triggerVerification(userId, { deviceId, expiresIn: args.expiresIn, customMessage: args.customMessage }),
    );
  } catch (e) {
    const error = toResultError(e);
    if (error.code === 'INTERNAL') s.log.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    if (isOneLoginError(e) && triggerFailureIsRefusal(e)) {
      s.app.triggers.release(userId, deviceId); // OneLogin refused it (or it never left): nothing was sent
      notifyError(s, what, error);
      return triggerError(userId, error, deviceId);
    }
    // The POST may have reached OneLogin: hold the slot until the verification would have expired.
    const held = Date.now() + args.expiresIn * 1000;
    s.app.triggers.holdUnknown(userId, deviceId, held);
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
  s.app.triggers.commit(userId, deviceId, verificationId, deadline.deadline);
  const label = ctx.device ? deviceLabel(ctx.device) : deviceId;
  s.app.store.annotate(
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
async function offerSendAnother(s: CommandContext, message: string, args: TriggerArgs & { deviceId: string }, ctx: SendContext): Promise<void> {
  const another = vscode.l10n.t('Send Another Push');
  const panel = vscode.l10n.t('Show Panel');
  const choice = await vscode.window.showWarningMessage(message, another, panel);
  if (choice === panel) s.panel.show();
  else if (choice === another) await sendAndWatch(s, { ...args, wait: false }, { ...ctx, interactive: true, sendAnother: true });
}

async function offerPending(s: CommandContext, message: string, ids: { userId: string; verificationId: string; deviceId: string } | undefined): Promise<void> {
  const panel = vscode.l10n.t('Show Panel');
  const otp = vscode.l10n.t('Enter OTP…');
  const choice = await vscode.window.showWarningMessage(message, ...(ids ? [otp, panel] : [panel]));
  if (choice === panel) s.panel.show();
  else if (choice === otp && ids) await promptOtp(s, ids);
}

async function showTriggerOutcome(s: CommandContext, final: PollState, sent: TriggerArgs & { deviceId: string; device?: Device }): Promise<void> {
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
      if (final.error?.code === 'RATE_LIMITED') s.app.triggers.holdUnknown(sent.userId, sent.deviceId, Math.max(final.error.resetAt ?? 0, final.expiresAt));
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
