/**
 * The OneLogin MFA panel, webview side. It renders what the extension host posts and nothing else:
 * no network (the CSP has no connect-src), no innerHTML anywhere: every value from the API is put in
 * the page with textContent, so a body like "<img src=x onerror=alert(1)>" shows as text.
 *
 * Protocol (src/panel/messages.ts, imported here): the script posts {type:'ready'} when it runs; the host answers
 * with a 'snapshot', then 'entry' (a verification's state) and 'exchange' (one request/response) as they
 * happen, plus 'rateLimit' (the gauge), 'history' (past verifications) and 'devices' (List Devices).
 * Buttons post copyBody / openBody / copyCurl / stopPoll / recheck / poll / enterOtp / clearFinished /
 * showLog / exportLog / clearHistory / sendVerification.
 * The rendered data is saved with setState (savedState.ts) so a reload shows it at once.
 *
 * The parts: shell.ts (what the page gives), model.ts (the data shown), apply.ts (host messages),
 * groups.ts, exchanges.ts, sections.ts (rendering), actions.ts (buttons), savedState.ts, dom.ts (helpers);
 * jsonView.ts is its own script.
 *
 * DOM contract (stable, for end-to-end tests):
 *   #verifications                          container of the verification groups, newest first
 *   .verification[data-key="<userId>/<verificationId>"][data-phase][data-polling="true|false"]
 *     .verification-id, .verification-user, .verification-device
 *     .verification-state                   the phase: idle|pending|accepted|rejected|expired|cancelled|error
 *     .verification-meta                    countdown, checks, last HTTP status, last check time
 *     .verification-error                   the error message (phase error, or retrying)
 *     .verification-trigger                 sent from here: device, OneLogin's expires_at, the local deadline
 *     button.action-stop / .action-recheck / .action-poll / .action-enter-otp
 *     .exchanges-hidden                     "N older requests are not shown" (when the history was capped)
 *     .exchanges > details.exchange[data-exchange-id][data-status]   oldest first
 *       .exchange-method, .exchange-path, .exchange-status, .exchange-duration, .exchange-size,
 *       .exchange-request-id, .exchange-error
 *       .exchange-request-headers, .exchange-request-body, .exchange-response-headers (pre, "name: value" lines)
 *       .exchange-body (pre)                the response body; filled when the details element is open
 *                                           (the newest exchange of each group is open)
 *       .exchange-body-note                 what was cut / omitted / restored
 *       button.action-copy, button.action-open
 *       button.action-copy-curl             "Copy as cURL" (placeholders instead of credentials; built by the host)
 *       button.action-raw[aria-pressed]     Raw / Pretty of a JSON body (view only; nothing posted)
 *       .exchange-body .json-view           JSON tokens (see jsonView.ts), button.json-toggle folds
 *     details.exchange[data-selected="true"]  the exchange last picked (posts selectExchange)
 *   #other.other                            "Other requests" (token requests, ...): .exchange elements
 *   #empty                                  shown when there is nothing to show
 *   .toolbar button.action-clear, button.action-show-log, button.action-export-json, button.action-export-har
 *   .toolbar .rate-limit-gauge[data-level="ok|low|exhausted|unknown"]   X-RateLimit-Remaining / -Limit, reset time
 *   #factors.factors                        the last "List Devices": .factors-title,
 *     .device[data-device-id][data-kind="push|call|code|unknown"] (.device-label, .device-type,
 *     .device-default, .device-needs-code, button.action-send), .factor[data-factor-id]
 *   #history.history                        past verifications (no secrets): .history-title, button.action-clear-history,
 *     .history-note, .history-entry[data-key][data-phase] (.history-phase, .history-ids, .history-device,
 *     .history-time, .history-attempts, button.action-recheck)
 */
import { apply, unbatch } from './apply';
import { onClick } from './actions';
import { button, fmt } from './dom';
import { restoreSavedState, scheduleSave } from './savedState';
import { factorsSection, historySection, list, otherSection, S, toolbar, vscode } from './shell';

window.addEventListener('message', (event: MessageEvent) => {
  let changed = false;
  for (const m of unbatch(event.data)) changed = apply(m) || changed;
  if (changed) scheduleSave();
});

document.addEventListener('click', onClick);

// Landmarks and labels for screen readers (the strings are localized on the host).
list.setAttribute('aria-label', S.regionVerifications || 'Verifications');
toolbar.setAttribute('role', 'toolbar');
toolbar.setAttribute('aria-label', S.regionToolbar || 'Panel actions');
otherSection.setAttribute('aria-label', S.other || 'Other requests');
historySection.setAttribute('aria-label', S.history || 'History');
factorsSection.setAttribute('aria-label', S.devicesTitle ? fmt(S.devicesTitle, '').trim() : 'Devices');

toolbar.append(
  button('export-json', S.exportJson || 'Export JSON'),
  button('export-har', S.exportHar || 'Export HAR'),
  button('clear', S.clear || 'Clear finished'),
  button('show-log', S.showLog || 'Show log'),
);

restoreSavedState();
vscode.postMessage({ type: 'ready' });
