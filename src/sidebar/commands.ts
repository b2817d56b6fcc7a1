/**
 * The sidebar's item actions (inline and context menu). Each takes the row the menu hands over (or any
 * object with the same id fields, e.g. from another extension), validates the ids, and runs the
 * existing command with an argument object, or, for the two prompts the panel also offers (Enter OTP…,
 * Send Verification…), the same action the panel runs. Hidden from the Command Palette (they need a row).
 */
import * as vscode from 'vscode';
import { rowIds, SIDEBAR_COMMAND } from './ids';
import { COMMAND } from '../commandIds';

export { SIDEBAR_COMMAND };


/** What the prompts do; implemented by the extension (the panel's own actions). */
export interface SidebarActions {
  enterOtp(userId: string, verificationId: string): void;
  sendVerification(userId: string, deviceId: string): void;
}

export function registerSidebarCommands(actions: SidebarActions): vscode.Disposable[] {
  const verification = (arg: unknown): { userId: string; verificationId: string } | undefined => {
    const { userId, verificationId } = rowIds(arg);
    return userId && verificationId ? { userId, verificationId } : undefined;
  };
  const handlers: Record<string, (arg: unknown) => unknown> = {
    [SIDEBAR_COMMAND.recheck]: (arg) => {
      const ids = verification(arg);
      return ids && vscode.commands.executeCommand(COMMAND.checkVerification, ids);
    },
    [SIDEBAR_COMMAND.poll]: (arg) => {
      const ids = verification(arg);
      return ids && vscode.commands.executeCommand(COMMAND.pollVerification, { ...ids, wait: false });
    },
    [SIDEBAR_COMMAND.stop]: (arg) => {
      const ids = verification(arg);
      return ids && vscode.commands.executeCommand(COMMAND.stopPolling, ids);
    },
    [SIDEBAR_COMMAND.enterOtp]: (arg) => {
      const ids = verification(arg);
      if (ids) actions.enterOtp(ids.userId, ids.verificationId);
    },
    [SIDEBAR_COMMAND.sendVerification]: (arg) => {
      const { userId, deviceId } = rowIds(arg);
      if (userId && deviceId) actions.sendVerification(userId, deviceId);
    },
    [SIDEBAR_COMMAND.copyId]: async (arg) => {
      const ids = rowIds(arg);
      const id = ids.verificationId ?? ids.deviceId ?? ids.userId;
      if (id === undefined) return undefined;
      await vscode.env.clipboard.writeText(id);
      vscode.window.setStatusBarMessage(vscode.l10n.t('OneLogin MFA: copied {0}', id), 3000);
      return { copied: id };
    },
    [SIDEBAR_COMMAND.showInPanel]: () => vscode.commands.executeCommand(COMMAND.showPanel),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
