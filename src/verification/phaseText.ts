/** The short word a person reads for a poll phase: the status bar and the sidebar show the same words. */
import type { Localize } from '../util/l10n';
import type { PollPhase } from './types';

/** The short word for a phase, e.g. "accepted", "error: auth". */
export function phaseText(phase: PollPhase, errorKind: string | undefined, t: Localize): string {
  switch (phase) {
    case 'idle':
      return t('idle');
    case 'pending':
      return t('pending');
    case 'accepted':
      return t('accepted');
    case 'rejected':
      return t('rejected');
    case 'expired':
      return t('expired');
    case 'cancelled':
      return t('stopped');
    case 'error':
      return t('error: {0}', errorKind ?? t('unknown'));
  }
}
