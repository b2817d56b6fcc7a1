/**
 * A verification entry as the webview shows it: the store's entry flattened to the fields the panel
 * renders (posted as plain data, so no class instance or secret crosses into the webview).
 */
import type { VerificationEntry } from '../verification/store';
import type { EntryView } from './messages';

export function entryView(entry: VerificationEntry): EntryView {
  const s = entry.state;
  const view: EntryView = {
    key: entry.key,
    userId: s.userId,
    verificationId: s.verificationId,
    phase: s.phase,
    polling: entry.polling,
    source: entry.source,
    attempt: s.attempt,
    expiresAt: s.expiresAt,
  };
  if (s.tenant !== undefined) view.tenant = s.tenant;
  if (s.deviceId !== undefined) view.deviceId = s.deviceId;
  if (s.lastCheckedAt !== undefined) view.lastCheckedAt = s.lastCheckedAt;
  if (s.lastHttpStatus !== undefined) view.lastHttpStatus = s.lastHttpStatus;
  if (s.nextCheckAt !== undefined) view.nextCheckAt = s.nextCheckAt;
  if (s.retry) view.retry = { kind: s.retry.reason.kind, message: s.retry.reason.message, delayMs: s.retry.delayMs };
  if (s.error) view.error = { kind: s.error.kind, message: s.error.message, httpStatus: s.error.httpStatus, requestId: s.error.requestId };
  const t = entry.trigger;
  if (t) {
    view.triggered = true;
    view.deadlineSource = t.deadlineSource;
    if (t.deviceLabel) view.deviceLabel = t.deviceLabel;
    if (t.serverExpiresAt) view.serverExpiresAt = t.serverExpiresAt;
    if (t.needsCode !== undefined) view.acceptsCode = t.needsCode;
  }
  return view;
}
