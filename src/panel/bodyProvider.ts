/**
 * "Open in editor" for response bodies: a read-only virtual document per exchange,
 * `onelogin-mfa-exchange:/<id>.json` (or `.txt`), holding the body exactly as received.
 */
import * as vscode from 'vscode';
import type { ExchangeLog } from '../records/exchangeLog';

export const BODY_SCHEME = 'onelogin-mfa-exchange';

export function bodyUri(id: number, isJson: boolean): vscode.Uri {
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
