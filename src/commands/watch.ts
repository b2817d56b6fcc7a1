/**
 * Watching a poll: the cancellable progress notification with the countdown, and the outcome once it
 * ends. Used by Poll Verification and by Send Verification, so it lives apart from both.
 */
import * as vscode from 'vscode';
import type { VerificationPoller } from '../verification/poller';
import type { PollRequest } from '../verification/pollManager';
import { isTerminal, verificationKey, type PollState } from '../verification/types';
import type { CommandContext } from './context';
import { shortId } from '../util/values';
import { secondsLeft } from '../util/time';


function progressMessage(state: PollState): string {
  const now = Date.now();
  if (state.retry) {
    return vscode.l10n.t(
      'pending, {0} s left; {1}, retrying in {2} s (check {3})',
      secondsLeft(state.expiresAt, now),
      state.retry.reason.kind,
      Math.ceil(state.retry.delayMs / 1000),
      state.attempt,
    );
  }
  return vscode.l10n.t('pending, {0} s left (check {1})', secondsLeft(state.expiresAt, now), state.attempt);
}

/** Resolves with the poller's terminal state, whether or not it was started here. */
function settled(poller: VerificationPoller): Promise<PollState> {
  return poller.start(); // idempotent: returns the same promise for a running poll
}

export interface WatchedPoll {
  poller: VerificationPoller;
  /** Resolves with the terminal state. */
  done: Promise<PollState>;
  /** True when a poll for this verification was already running (no second loop, notification or outcome). */
  alreadyRunning: boolean;
}

/**
 * Starts (or joins) the poll of one verification. A new poll gets a cancellable progress notification
 * with the countdown, and `outcome` runs once it ends.
 */
export function watchPoll(s: CommandContext, req: PollRequest, outcome: (final: PollState) => Promise<void>, title?: string): WatchedPoll {
  // The poll belongs to the command's tenant for its whole life, whatever becomes active later.
  const owned: PollRequest = { ...req, tenant: req.tenant ?? s.tenant };
  const key = verificationKey(owned.userId, owned.verificationId, owned.tenant);
  const existing = s.app.polls.get(key);
  const alreadyRunning = existing !== undefined && !isTerminal(existing.state.phase);
  const poller = s.app.polls.start(owned);
  const done = settled(poller);

  if (!alreadyRunning) {
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: title ?? vscode.l10n.t('OneLogin MFA: verification {0}', shortId(req.verificationId)),
        cancellable: true,
      },
      (progress, token) => {
        const cancel = token.onCancellationRequested(() => poller.cancel());
        progress.report({ message: progressMessage(poller.state) });
        const sub = poller.onDidChange((state) => {
          if (!isTerminal(state.phase)) progress.report({ message: progressMessage(state) });
        });
        return done.finally(() => {
          sub.dispose();
          cancel.dispose();
        });
      },
    );
    void done.then(outcome).then(undefined, (e: unknown) => s.log.error(`Poll outcome: ${e instanceof Error ? e.message : String(e)}`));
  }
  return { poller, done, alreadyRunning };
}
