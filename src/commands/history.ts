/** Clear History: the verification history (kept in globalState) is emptied. */
import * as vscode from 'vscode';
import type { CommandContext } from './context';

/** `onelogin-mfa.clearHistory`. */
export async function clearHistory(s: CommandContext): Promise<{ cleared: number }> {
  const cleared = await s.app.history.clear();
  vscode.window.setStatusBarMessage(vscode.l10n.t('OneLogin MFA: history cleared ({0} entries).', cleared), 3000);
  return { cleared };
}
