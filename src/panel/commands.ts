/**
 * The panel's commands, shown as editor-title buttons while the panel is the active editor (and in the
 * Command Palette): Copy as cURL of the selected exchange, for the shell the user picks, and Re-check all.
 * Each takes an argument object for programmatic callers and returns a plain result without a secret.
 */
import * as vscode from 'vscode';
import { CURL_SHELLS, type CurlShell } from '../records/curlShells';
import type { VerificationStore } from '../verification/store';
import { PANEL_COMMAND, RECHECK_ALL_MAX } from './commandIds';
import type { ExchangeView } from './messages';
import type { ExchangeLog } from '../records/exchangeLog';
import { COMMAND } from '../commandIds';

export { PANEL_COMMAND };

const SHELL_KEY = 'onelogin-mfa.curlShell';

export interface PanelCommandDeps {
  exchanges: ExchangeLog;
  store: VerificationStore;
  /** The exchange last picked in the panel. */
  selected(): number | undefined;
  /** The cURL command of one exchange (placeholders, scrubbed). */
  curl(view: ExchangeView, shell: CurlShell): Promise<string>;
  globalState: vscode.Memento;
}

export interface CopyCurlResult {
  copied: boolean;
  exchangeId?: number;
  shell?: CurlShell;
  cancelled?: boolean;
  error?: { kind: 'invalidInput'; code: string; message: string };
}

function field(arg: unknown, name: string): unknown {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? (arg as Record<string, unknown>)[name] : undefined;
}

const isShell = (v: unknown): v is CurlShell => typeof v === 'string' && (CURL_SHELLS as readonly string[]).includes(v);

async function pickShell(globalState: vscode.Memento): Promise<CurlShell | undefined> {
  const items: (vscode.QuickPickItem & { shell: CurlShell })[] = [
    { label: vscode.l10n.t('POSIX shell'), description: 'bash, zsh, sh', shell: 'posix' },
    { label: vscode.l10n.t('PowerShell'), description: 'curl.exe', shell: 'powershell' },
    { label: vscode.l10n.t('Command Prompt'), description: 'cmd.exe', shell: 'cmd' },
  ];
  // The last choice first; else what this machine's shell most likely is.
  const last = globalState.get<unknown>(SHELL_KEY);
  const preferred: CurlShell = isShell(last) ? last : process.platform === 'win32' ? 'powershell' : 'posix';
  items.sort((a, b) => Number(b.shell === preferred) - Number(a.shell === preferred));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('OneLogin MFA: Copy as cURL'), placeHolder: vscode.l10n.t('The shell to paste the command into') });
  if (picked) await globalState.update(SHELL_KEY, picked.shell);
  return picked?.shell;
}

/** `onelogin-mfa.copyCurl` — args `{ exchangeId?, shell?: 'posix'|'powershell'|'cmd' }`; default: the selected (else newest) exchange, and asks for the shell. */
async function copyCurlCommand(d: PanelCommandDeps, arg: unknown): Promise<CopyCurlResult> {
  const invalid = (message: string): CopyCurlResult => {
    void vscode.window.showErrorMessage(message);
    return { copied: false, error: { kind: 'invalidInput', code: 'INVALID_ARGUMENT', message } };
  };
  const rawShell = field(arg, 'shell');
  if (rawShell !== undefined && !isShell(rawShell)) return invalid(vscode.l10n.t('shell must be "posix", "powershell" or "cmd".'));
  const rawId = field(arg, 'exchangeId');
  if (rawId !== undefined && !(typeof rawId === 'number' && Number.isSafeInteger(rawId) && rawId > 0)) return invalid(vscode.l10n.t('exchangeId must be a positive whole number.'));
  const id = rawId ?? d.selected() ?? d.exchanges.all().at(-1)?.id;
  const view = id === undefined ? undefined : d.exchanges.view(id);
  if (!view) {
    void vscode.window.showInformationMessage(vscode.l10n.t('OneLogin MFA: no recorded request to copy yet.'));
    return { copied: false };
  }
  const shell = isShell(rawShell) ? rawShell : await pickShell(d.globalState);
  if (!shell) return { copied: false, cancelled: true, exchangeId: view.id };
  await vscode.env.clipboard.writeText(await d.curl(view, shell));
  vscode.window.setStatusBarMessage(vscode.l10n.t('cURL command copied (credentials replaced by placeholders such as <access_token>).'), 4000);
  return { copied: true, exchangeId: view.id, shell };
}

/** `onelogin-mfa.recheckAll` — one status check of each verification the panel shows that is not being polled (at most RECHECK_ALL_MAX). */
export async function recheckAll(d: PanelCommandDeps): Promise<{ checked: number; skipped: number }> {
  const idle = d.store.entries().filter((e) => !e.polling);
  const chosen = idle.slice(0, RECHECK_ALL_MAX);
  // One after another: a burst would spend the tenant's rate limit faster than the user sees it.
  for (const e of chosen) await vscode.commands.executeCommand(COMMAND.checkVerification, { userId: e.state.userId, verificationId: e.state.verificationId });
  return { checked: chosen.length, skipped: idle.length - chosen.length };
}

export function registerPanelCommands(d: PanelCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(PANEL_COMMAND.copyCurl, (arg: unknown) => copyCurlCommand(d, arg)),
    vscode.commands.registerCommand(PANEL_COMMAND.recheckAll, () => recheckAll(d)),
  ];
}
