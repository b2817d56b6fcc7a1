/**
 * The panel's HTML shell: a strict CSP, one stylesheet from `media/` and the scripts built from `src/webview/`
 * into `dist/webview/`, the scripts allowed only by a fresh nonce. Pure and `vscode`-free (the caller passes
 * `webview.cspSource` and the `asWebviewUri` strings), so the CSP and the escaping are unit-tested in plain Node.
 *
 * No data is ever interpolated into this HTML: everything the API returned reaches the webview by
 * postMessage and is rendered with textContent.
 */
import { randomUUID } from 'node:crypto';

/** A fresh nonce per render: 122 random bits from crypto.randomUUID(), dashes removed. */
export function createNonce(): string {
  return randomUUID().replace(/-/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return `default-src 'none'; style-src ${cspSource}; script-src 'nonce-${nonce}'; img-src ${cspSource}`;
}

/** Escapes text for an HTML attribute value or text node. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

export interface PanelHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `webview.asWebviewUri(dist/webview/panel.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview/jsonView.js)` as a string: the JSON body renderer, loaded before the panel script. */
  jsonScriptUri?: string;
  /** `webview.asWebviewUri(media/panel.css)` as a string. */
  styleUri: string;
  nonce: string;
  title: string;
  /** The lang attribute (vscode.env.language). */
  lang?: string;
  /** Localized strings the script shows; JSON in a data attribute, read with textContent semantics. */
  strings?: Record<string, string>;
}

const CSP_SOURCE = /^[A-Za-z0-9+.\-:/*'_ ]+$/;
const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;

export function panelHtml(o: PanelHtmlOptions): string {
  // The CSP is built by string interpolation, so its parts must not be able to add directives.
  if (!CSP_SOURCE.test(o.cspSource) || o.cspSource.includes(';')) throw new Error('Invalid CSP source');
  if (!NONCE.test(o.nonce)) throw new Error('Invalid nonce');
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  const strings = escapeHtml(JSON.stringify(o.strings ?? {}));
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${escapeHtml(o.styleUri)}" rel="stylesheet">
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<div id="app" data-strings="${strings}">
<header class="toolbar">
<h1 class="title">${escapeHtml(o.title)}</h1>
<span class="rate-limit-gauge" hidden></span>
<span class="toolbar-actions"></span>
</header>
<section id="factors" class="factors" hidden></section>
<main id="verifications" aria-live="polite"></main>
<section id="other" class="other" hidden></section>
<section id="history" class="history" hidden></section>
<p id="empty" class="empty"></p>
</div>
${o.jsonScriptUri ? `<script nonce="${o.nonce}" src="${escapeHtml(o.jsonScriptUri)}"></script>\n` : ''}<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
