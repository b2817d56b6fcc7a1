/**
 * Check Verification (one status request), Poll Verification (until it settles, with a cancellable
 * progress notification) and Stop Polling. Each takes an argument object for programmatic callers and
 * returns a plain result; without arguments it asks for the ids.
 */
import * as vscode from 'vscode';
import { isTerminal, stateKey, type PollState } from '../verification/types';
import { DEFAULT_TENANT } from '../connection/tenants';
import { toResultError, type ResultError } from '../onelogin/errors';
import { matchesStop, parseStopArgs, parseVerificationArgs, type VerificationArgs } from './args';
import { checkResult, errorResult, pollResult, type VerificationCommandResult } from './results';
import { notifyError } from './notify';
import { preflightError } from './preflight';
import { askIds, rememberIds } from './prompts';
import { promptOtp } from './otp';
import { watchPoll } from './watch';
import type { CommandContext } from './context';
import { shortId } from '../util/values';
import { COMMAND } from '../commandIds';


type Resolved = { ok: true; args: VerificationArgs; interactive: boolean } | { ok: false; result: VerificationCommandResult | undefined };

async function resolveArgs(s: CommandContext, arg: unknown, poll: boolean, title: string): Promise<Resolved> {
  const parsed = parseVerificationArgs(arg, poll);
  if (parsed.kind === 'invalid') {
    notifyError(s, title, parsed.error);
    return { ok: false, result: errorResult(parsed.userId, parsed.verificationId, parsed.error) };
  }
  if (parsed.kind === 'ok') return { ok: true, args: parsed.value, interactive: false };
  const ids = await askIds(s, title);
  return ids ? { ok: true, args: ids, interactive: true } : { ok: false, result: undefined };
}

/** `onelogin-mfa.checkVerification` — one GET of the verification status. */
export async function checkVerification(s: CommandContext, arg: unknown): Promise<VerificationCommandResult | undefined> {
  const title = vscode.l10n.t('Check MFA Verification');
  const resolved = await resolveArgs(s, arg, false, title);
  if (!resolved.ok) return resolved.result;
  const { args, interactive } = resolved;
  const { userId, verificationId } = args;
  await rememberIds(s, args);
  const what = vscode.l10n.t('Checking verification {0}', shortId(verificationId));
  const blocked = await preflightError(s, interactive, what);
  if (blocked) return errorResult(userId, verificationId, blocked);

  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('OneLogin MFA: checking {0}…', shortId(verificationId)) },
      () => s.app.clients.get(s.tenant).getVerificationStatus(userId, verificationId),
    );
    s.app.store.recordCheck(userId, verificationId, { result }, s.tenant);
    const outcome = withTenant(s, checkResult(userId, verificationId, result));
    if (interactive) void showCheckOutcome(s, outcome);
    return outcome;
  } catch (e) {
    const error = reportUnexpected(s, e);
    s.app.store.recordCheck(userId, verificationId, { error }, s.tenant);
    notifyError(s, what, error);
    return errorResult(userId, verificationId, error);
  }
}

/** A result names its tenant when it is not "default" (as poll results do). */
function withTenant(s: CommandContext, r: VerificationCommandResult): VerificationCommandResult {
  return s.tenant === DEFAULT_TENANT ? r : { ...r, tenant: s.tenant };
}

async function showCheckOutcome(s: CommandContext, r: VerificationCommandResult): Promise<void> {
  const poll = vscode.l10n.t('Poll Until It Settles');
  const panel = vscode.l10n.t('Show Panel');
  const text = vscode.l10n.t('Verification {0} for user {1}: {2} (HTTP {3}).', r.verificationId, r.userId, r.status ?? r.state, r.httpStatus ?? '—');
  const choice =
    r.status === 'rejected'
      ? await vscode.window.showWarningMessage(text, panel)
      : await vscode.window.showInformationMessage(text, ...(r.status === 'pending' ? [poll, panel] : [panel]));
  if (choice === poll) await vscode.commands.executeCommand(COMMAND.pollVerification, { userId: r.userId, verificationId: r.verificationId, tenant: s.tenant, wait: false });
  else if (choice === panel) s.panel.show();
}

function reportUnexpected(s: CommandContext, e: unknown): ResultError {
  const error = toResultError(e);
  if (error.code === 'INTERNAL') s.log.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  return error;
}

/** `onelogin-mfa.pollVerification` — polls until accepted, rejected, expired, cancelled or a permanent error. */
export async function pollVerification(s: CommandContext, arg: unknown): Promise<VerificationCommandResult | undefined> {
  const title = vscode.l10n.t('Poll MFA Verification');
  const resolved = await resolveArgs(s, arg, true, title);
  if (!resolved.ok) return resolved.result;
  const { args, interactive } = resolved;
  const { userId, verificationId } = args;
  await rememberIds(s, args);
  const what = vscode.l10n.t('Polling verification {0}', shortId(verificationId));
  const blocked = await preflightError(s, interactive, what);
  if (blocked) return errorResult(userId, verificationId, blocked);

  const { poller, done } = watchPoll(s, { userId, verificationId, expiresAt: args.expiresAt }, (final) => showPollOutcome(s, final));
  if (args.wait === false) return pollResult(poller.state);
  return pollResult(await done);
}

async function showPollOutcome(s: CommandContext, state: PollState): Promise<void> {
  const panel = vscode.l10n.t('Show Panel');
  const again = vscode.l10n.t('Poll Again');
  const otp = vscode.l10n.t('Enter OTP…');
  const id = shortId(state.verificationId);
  let choice: string | undefined;
  switch (state.phase) {
    case 'accepted':
      choice = await vscode.window.showInformationMessage(vscode.l10n.t('MFA accepted: user {0} approved verification {1}.', state.userId, id), panel);
      break;
    case 'rejected':
      choice = await vscode.window.showWarningMessage(vscode.l10n.t('MFA rejected: user {0} denied verification {1}.', state.userId, id), panel);
      break;
    case 'expired':
      choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('MFA expired: verification {0} got no answer in time ({1} checks).', id, state.attempt),
        otp,
        again,
        panel,
      );
      break;
    case 'error':
      if (state.error) notifyError(s, vscode.l10n.t('Polling verification {0} stopped', id), state.error);
      return;
    default:
      // cancelled: the user (or a caller) asked for it; nothing to announce.
      return;
  }
  if (choice === panel) s.panel.show();
  else if (choice === again) {
    await vscode.commands.executeCommand(COMMAND.pollVerification, { userId: state.userId, verificationId: state.verificationId, tenant: s.tenant, wait: false });
  } else if (choice === otp) {
    await promptOtp(s, { userId: state.userId, verificationId: state.verificationId, deviceId: state.deviceId });
  }
}

export interface StopResult {
  stopped: number;
  error?: ResultError;
}

/** `onelogin-mfa.stopPolling` — no argument: every poll; `{ verificationId, userId? }`: the matching ones. */
export function stopPolling(s: CommandContext, arg: unknown): StopResult {
  const parsed = parseStopArgs(arg);
  if (parsed.kind === 'invalid') {
    const error: ResultError = { kind: 'invalidInput', message: parsed.message, code: 'INVALID_ID' };
    notifyError(s, vscode.l10n.t('Stop polling'), error);
    return { stopped: 0, error };
  }
  let stopped = 0;
  if (parsed.kind === 'all') {
    stopped = s.app.polls.stop();
  } else {
    for (const state of s.app.polls.states()) {
      if (!isTerminal(state.phase) && matchesStop(state, parsed.value)) stopped += s.app.polls.stop(stateKey(state));
    }
  }
  vscode.window.setStatusBarMessage(
    stopped === 0 ? vscode.l10n.t('OneLogin MFA: no poll was running.') : vscode.l10n.t('OneLogin MFA: stopped {0} poll(s).', stopped),
    3000,
  );
  return { stopped };
}

