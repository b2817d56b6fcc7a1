/**
 * The recorded exchanges leaving the extension: Export Exchange Log (HAR or JSON, to a file) and the
 * panel's "Copy as cURL". Both go through a scrubber loaded with every tenant's stored secrets.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SecretScrubber } from '../onelogin/redact';
import type { ResultError } from '../onelogin/errors';
import type { ExchangeView } from '../records/exchangeView';
import { recordsModule } from '../records/loadRecords';
import type { CurlShell } from '../records/curlShells';
import type { ExportFormat } from '../records/exportLog';
import type { CommandContext } from './context';
import { notifyError } from './notify';
import { isPlainObject } from '../util/values';

/** A scrubber loaded with the stored credentials: the last check before text leaves the extension. */
async function scrubberFor(s: CommandContext): Promise<(text: string) => string> {
  const scrubber = new SecretScrubber();
  // Every tenant's secrets: an exchange of any tenant may be copied or exported from here.
  const names = new Set([s.tenant, ...s.app.tenants.list().tenants.map((t) => t.name)]);
  for (const name of names) {
    const c = await s.app.credentials.get(name);
    if (c?.kind === 'accessToken') scrubber.add(c.accessToken);
    else if (c) scrubber.add(c.clientId, c.clientSecret);
  }
  return (text) => scrubber.scrub(text);
}

export interface ExportResult {
  written: boolean;
  format?: ExportFormat;
  uri?: string;
  exchanges?: number;
  cancelled?: boolean;
  error?: ResultError;
}

function targetUri(raw: string): vscode.Uri | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]+:\/\//.test(raw) || raw.startsWith('file:')) {
    try {
      return vscode.Uri.parse(raw, true);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(raw) ? vscode.Uri.file(raw) : undefined;
}

function exportInvalid(s: CommandContext, message: string): ExportResult {
  const error: ResultError = { kind: 'invalidInput', code: 'INVALID_ARGUMENT', message };
  notifyError(s, vscode.l10n.t('Export the exchange log'), error);
  return { written: false, error };
}

/** `onelogin-mfa.exportLog` — args `{ format: 'json'|'har', uri }` (uri: an absolute path or a URI string), or asks. */
export async function exportExchangeLog(s: CommandContext, arg: unknown, presetFormat?: ExportFormat): Promise<ExportResult> {
  let format: ExportFormat | undefined = presetFormat;
  let uri: vscode.Uri | undefined;
  if (isPlainObject(arg)) {
    if (arg.format !== 'json' && arg.format !== 'har') return exportInvalid(s, vscode.l10n.t('format must be "json" or "har".'));
    format = arg.format;
    if (arg.uri !== undefined) {
      uri = typeof arg.uri === 'string' ? targetUri(arg.uri) : undefined;
      if (!uri) return exportInvalid(s, vscode.l10n.t('uri must be an absolute file path or a URI string.'));
    }
  }
  if (!format) {
    const picked = await vscode.window.showQuickPick(
      [
        { label: 'HAR 1.2', description: vscode.l10n.t('opens in browser dev tools and HTTP tools'), format: 'har' as const },
        { label: 'JSON', description: vscode.l10n.t('an array of the recorded exchanges'), format: 'json' as const },
      ],
      { title: vscode.l10n.t('OneLogin MFA: Export Exchange Log'), placeHolder: vscode.l10n.t('Format') },
    );
    if (!picked) return { written: false, cancelled: true };
    format = picked.format;
  }
  const items = s.app.exchanges.all().map((view) => ({ view, fullBody: s.app.exchanges.heldBody(view.id) }));
  if (!uri) {
    const name = recordsModule().defaultExportName(format, Date.now());
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const defaultUri = folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(path.join(os.homedir(), name));
    uri = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export {0} recorded exchanges', items.length),
      defaultUri,
      saveLabel: vscode.l10n.t('Export'),
      filters: format === 'har' ? { HAR: ['har'], JSON: ['json'] } : { JSON: ['json'] },
    });
    if (!uri) return { written: false, cancelled: true, format };
  }
  const ext = vscode.extensions.getExtension('onelogin-mfa-tools.onelogin-mfa-verify');
  const version = (ext?.packageJSON as { version?: unknown } | undefined)?.version;
  const text = recordsModule().exportLog(format, items, {
    scrub: await scrubberFor(s),
    creator: { name: 'OneLogin MFA Verify (VS Code)', version: typeof version === 'string' ? version : '0' },
  });
  try {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  } catch (e) {
    const error: ResultError = { kind: 'invalidInput', code: 'WRITE_FAILED', message: vscode.l10n.t('Could not write {0}: {1}', uri.fsPath || uri.toString(), e instanceof Error ? e.message : String(e)) };
    notifyError(s, vscode.l10n.t('Export the exchange log'), error);
    return { written: false, format, uri: uri.toString(), error };
  }
  s.log.info(`Exported ${items.length} exchanges as ${format.toUpperCase()} to ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}.`);
  if (!isPlainObject(arg) || arg.uri === undefined) {
    const open = vscode.l10n.t('Open');
    void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} exchanges to {1}.', items.length, path.basename(uri.path)), open).then((choice) => {
      if (choice === open && uri) void vscode.window.showTextDocument(uri);
    });
  }
  return { written: true, format, uri: uri.toString(), exchanges: items.length };
}

/** The cURL command of one exchange view (placeholders, scrubbed). */
export async function curlFor(s: CommandContext, view: ExchangeView, shell?: CurlShell): Promise<string> {
  const command = recordsModule().curlCommand(view, { scrub: await scrubberFor(s), shell });
  // Which account the command talks to: a comment line (`#` in POSIX shells and PowerShell, `rem` in cmd).
  if (!view.tenant) return command;
  return `${shell === 'cmd' ? 'rem' : '#'} OneLogin tenant: ${view.tenant}\n${command}`;
}
