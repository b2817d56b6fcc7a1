/**
 * The id prompts shared by the commands: input boxes for the user id and the verification id,
 * prefilled with the last ids (not secrets), which are remembered in globalState.
 */
import * as vscode from 'vscode';
import { idProblem, validateUserId, validateVerificationId } from '../onelogin/ids';
import type { CommandContext } from './context';

const LAST_IDS_KEY = 'onelogin-mfa.lastIds';

export interface Ids {
  userId: string;
  verificationId: string;
}

function lastIds(s: CommandContext): Partial<Ids> {
  const v = s.context.globalState.get<unknown>(LAST_IDS_KEY);
  if (typeof v !== 'object' || v === null) return {};
  const r = v as Record<string, unknown>;
  return {
    userId: typeof r.userId === 'string' ? r.userId : undefined,
    verificationId: typeof r.verificationId === 'string' ? r.verificationId : undefined,
  };
}

export async function rememberIds(s: CommandContext, ids: Ids): Promise<void> {
  await s.context.globalState.update(LAST_IDS_KEY, { userId: ids.userId, verificationId: ids.verificationId });
}

/** The user id input box, as typed (checked as typed). Undefined when cancelled. */
function userIdBox(title: string, value: string | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('The OneLogin user id (digits, as in the admin portal URL).'),
    placeHolder: vscode.l10n.t('e.g. 3919988'),
    value,
    ignoreFocusOut: true,
    validateInput: (v) => idProblem(validateUserId, v),
  });
}

/** Asks for the user id only (prefilled with the last one). Undefined when cancelled. */
export async function askUserId(s: CommandContext, title: string): Promise<string | undefined> {
  const userId = await userIdBox(title, lastIds(s).userId);
  return userId === undefined ? undefined : validateUserId(userId);
}

/** Remembers the user id, keeping the last verification id. */
export async function rememberUserId(s: CommandContext, userId: string): Promise<void> {
  const last = lastIds(s);
  await s.context.globalState.update(LAST_IDS_KEY, { userId, verificationId: last.verificationId });
}

/** Asks for the user id and the verification id (prefilled with the last ones). Undefined when cancelled. */
export async function askIds(s: CommandContext, title: string): Promise<Ids | undefined> {
  const last = lastIds(s);
  const userId = await userIdBox(`${title} (1/2)`, last.userId);
  if (userId === undefined) return undefined;
  const verificationId = await vscode.window.showInputBox({
    title: `${title} (2/2)`,
    prompt: vscode.l10n.t('The verification id returned when the push or call was triggered.'),
    placeHolder: vscode.l10n.t('e.g. 406fefd4-8a36-4aee-880c-f3e4a928e27d'),
    value: last.verificationId,
    ignoreFocusOut: true,
    validateInput: (v) => idProblem(validateVerificationId, v),
  });
  if (verificationId === undefined) return undefined;
  return { userId: validateUserId(userId), verificationId: validateVerificationId(verificationId) };
}
