/**
 * "Open in editor" for response bodies: a read-only virtual document per exchange,
 * `onelogin-mfa-exchange:/<id>.json` (or `.txt`), holding the body exactly as received; and "Copy".
 */
import * as vscode from 'vscode';
import type { ExchangeLog } from '../records/exchangeLog';

export const BODY_SCHEME = 'onelogin-mfa-exchange';

function bodyUri(id: number, isJson: boolean): vscode.Uri {
  return vscode.Uri.from({ scheme: BODY_SCHEME, path: `/${id}.${isJson ? 'json' : 'txt'}` });
}

function idFromUri(uri: vscode.Uri): number | undefined {
  const m = /^\/(\d{1,15})\.(json|txt)$/.exec(uri.path);
  return m ? Number(m[1]) : undefined;
}

export class ExchangeBodyProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly log: ExchangeLog) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = idFromUri(uri);
    const body = id === undefined ? undefined : this.log.fullBody(id);
    if (!body) {
      return vscode.l10n.t('This response body is no longer held in memory (the window was reloaded, or newer responses replaced it).');
    }
    return body.text;
  }
}

/** "Copy" of a response body: the whole body as received, while it is still held. */
export async function copyExchangeBody(log: ExchangeLog, id: number): Promise<void> {
  const body = log.fullBody(id);
  if (!body) return;
  await vscode.env.clipboard.writeText(body.text);
  const note = body.complete
    ? vscode.l10n.t('Response body copied ({0} characters).', body.text.length)
    : vscode.l10n.t('Copied the part of the body still held ({0} characters).', body.text.length);
  vscode.window.setStatusBarMessage(note, 3000);
}

/** "Open in editor": the body as a read-only document of this scheme. */
export async function openExchangeBody(log: ExchangeLog, id: number): Promise<void> {
  const body = log.fullBody(id);
  if (!body) return;
  const doc = await vscode.workspace.openTextDocument(bodyUri(id, body.isJson));
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
  if (!body.complete) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Only part of this body is still held; the rest was not kept.'));
  }
}
