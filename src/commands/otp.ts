/**
 * Enter OTP, the code fallback: from an argument object, or a password-style box (the code is not
 * echoed, logged or kept); an accepted code settles a running poll. Also the panel's "Enter OTP…".
 */
import * as vscode from 'vscode';
import type { OtpResult } from '../onelogin/types';
import { isTerminal, verificationKey } from '../verification/types';
import { normalizeOtp, otpProblem, parseOtpArgs, wrongCodeMessage, type OtpCommandResult } from '../verification/otp';
import { toResultError } from '../onelogin/errors';
import type { CommandContext } from './context';
import { notifyError } from './notify';
import { preflightError } from './preflight';
import { askIds } from './prompts';
import { shortId } from '../util/values';

function otpResultBase(s: CommandContext, userId: string, verificationId: string): OtpCommandResult {
  const entry = s.app.store.get(verificationKey(userId, verificationId, s.tenant));
  return { accepted: false, state: entry?.state.phase ?? 'unknown', userId, verificationId };
}

/** `onelogin-mfa.verifyOtp` — args `{ userId, verificationId, otp, deviceId? }`, or asks (the code in a password box). */
export async function verifyOtp(s: CommandContext, arg: unknown): Promise<OtpCommandResult | undefined> {
  const parsed = parseOtpArgs(arg);
  const what = vscode.l10n.t('Entering a one-time code');
  if (parsed.kind === 'invalid') {
    notifyError(s, what, parsed.error);
    return { accepted: false, state: 'unknown', userId: parsed.userId, verificationId: parsed.verificationId, error: parsed.error };
  }
  if (parsed.kind === 'interactive') {
    const ids = await askIds(s, vscode.l10n.t('OneLogin MFA: Enter OTP'));
    if (!ids) return undefined;
    const entry = s.app.store.get(verificationKey(ids.userId, ids.verificationId, s.tenant));
    const deviceId = entry?.trigger?.deviceId ?? entry?.state.deviceId;
    return promptOtp(s, { ...ids, deviceId });
  }
  const { userId, verificationId, otp, deviceId } = parsed.value;
  const blocked = await preflightError(s, false, what);
  if (blocked) return { ...otpResultBase(s, userId, verificationId), error: blocked };
  return submitOtp(s, { userId, verificationId, otp, deviceId }, false);
}

/**
 * Asks for the code of one verification (password-style box: the code is not echoed, not logged, not
 * kept) and sends it; on a wrong code, offers to try again.
 */
export async function promptOtp(s: CommandContext, ids: { userId: string; verificationId: string; deviceId?: string }): Promise<OtpCommandResult | undefined> {
  const blocked = await preflightError(s, true, vscode.l10n.t('Entering a one-time code'));
  if (blocked) return { ...otpResultBase(s, ids.userId, ids.verificationId), error: blocked };
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

async function submitOtp(s: CommandContext, args: { userId: string; verificationId: string; otp: string; deviceId?: string }, interactive: boolean): Promise<OtpCommandResult> {
  const { userId, verificationId, deviceId } = args;
  const what = vscode.l10n.t('Entering a one-time code');
  let r: OtpResult;
  try {
    r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: checking the code for {0}…', shortId(verificationId)) },
      () => s.app.clients.get(s.tenant).verifyOtp(userId, verificationId, args.otp, deviceId),
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
    const settled = s.app.polls.settle(key, 'accepted', { lastHttpStatus: r.httpStatus });
    if (!settled) s.app.store.recordOtpAccepted(userId, verificationId, r.httpStatus, deviceId, s.tenant);
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

/** What the panel's "Enter OTP…" button does: the OTP prompt for that verification. */
export function enterOtpFromPanel(s: CommandContext, userId: string, verificationId: string): void {
  const entry = s.app.store.get(verificationKey(userId, verificationId, s.tenant));
  if (entry && isTerminal(entry.state.phase) && entry.state.phase !== 'expired') return;
  void promptOtp(s, { userId, verificationId, deviceId: entry?.trigger?.deviceId ?? entry?.state.deviceId });
}
