/** The sidebar's view and command ids, and the ids a row hands to a command (vscode-free: unit-tested in plain Node). */
import { validateDeviceId, validateUserId, validateVerificationId } from '../onelogin/ids';

export const VIEW_ID = 'onelogin-mfa.verifications';

export const SIDEBAR_COMMAND = {
  recheck: 'onelogin-mfa.sidebar.recheck',
  poll: 'onelogin-mfa.sidebar.poll',
  stop: 'onelogin-mfa.sidebar.stop',
  enterOtp: 'onelogin-mfa.sidebar.enterOtp',
  sendVerification: 'onelogin-mfa.sidebar.sendVerification',
  copyId: 'onelogin-mfa.sidebar.copyId',
  showInPanel: 'onelogin-mfa.sidebar.showInPanel',
} as const;

function field(arg: unknown, name: 'userId' | 'verificationId' | 'deviceId'): unknown {
  return typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>)[name] : undefined;
}

/** The ids of a row, validated; undefined when the argument has none that are valid. */
export function rowIds(arg: unknown): { userId?: string; verificationId?: string; deviceId?: string } {
  const out: { userId?: string; verificationId?: string; deviceId?: string } = {};
  const take = (name: 'userId' | 'verificationId' | 'deviceId', validate: (v: unknown) => string): void => {
    const v = field(arg, name);
    if (v === undefined) return;
    try {
      out[name] = validate(v);
    } catch {
      // Not an id: ignored (the command then has nothing to act on).
    }
  };
  take('userId', validateUserId);
  take('verificationId', validateVerificationId);
  take('deviceId', validateDeviceId);
  return out;
}
