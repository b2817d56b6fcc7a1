/**
 * The webview panel host (viewType `onelogin-mfa.panel`): one panel at a time, created or revealed by
 * `showPanel`, revived after a window reload by the serializer. The host owns the data (store + exchange
 * log); the webview is a view of it:
 *  - the webview posts 'ready' once its script runs; only then does the host post, starting with a
 *    snapshot (the latest state is re-sent whenever the webview is recreated after being hidden);
 *  - while visible and ready, changes are posted incrementally ('entry', 'exchange', ...), coalesced
 *    to one message per render gap (a 'batch' when several are owed: outbox.ts);
 *  - messages from the webview are parsed against an allow-list (messages.ts) and mapped to fixed actions.
 */
import * as vscode from 'vscode';
import { Disposable } from '../util/lifecycle';
import { panelPageModule } from './loadPage';
import { RenderScheduler } from '../util/renderScheduler';
import type { VerificationEntry, VerificationStore } from '../verification/store';
import { copyExchangeBody, openExchangeBody } from './bodyProvider';
import { OTHER_KEY, parseWebviewMessage, type DevicesView, type ExchangeView, type GaugeView, type HistoryView, type HostMessage, type UpdateMessage, type WebviewMessage } from './messages';
import { Outbox } from './outbox';
import type { ExchangeLog, RecordedExchange } from '../records/exchangeLog';
import { buildSnapshot } from './snapshot';
import { entryView } from './views';
import { parseSavedState } from './savedState';

export const PANEL_VIEW_TYPE = 'onelogin-mfa.panel';

/** What the panel's buttons do; implemented by the extension (commands), never chosen by the webview. */
export interface PanelActions {
  stopPoll(key: string): void;
  recheck(userId: string, verificationId: string): void;
  poll(userId: string, verificationId: string): void;
  showLog(): void;
  /** "Copy as cURL" of one exchange (the view is redacted; the action adds placeholders and scrubs). */
  copyCurl(view: ExchangeView): void;
  exportLog(format: 'json' | 'har'): void;
  clearHistory(): void;
  enterOtp(userId: string, verificationId: string): void;
  sendVerification(userId: string, deviceId: string): void;
}

/** The panel's other data, read when a snapshot is built. */
export interface PanelData {
  rateLimit(): GaugeView | undefined;
  history(): HistoryView;
  devices(): DevicesView | undefined;
}

const NO_DATA: PanelData = { rateLimit: () => undefined, history: () => ({ enabled: false, entries: [] }), devices: () => undefined };

export class PanelController extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  /** Something changed while the webview could not receive it: send a snapshot when it can. */
  private stale = false;
  private posted = 0;
  /** The exchange the user last picked in the panel (for the editor-title "Copy as cURL"). */
  private selected: number | undefined;
  private readonly outbox = new Outbox();
  private readonly renders = this.register(new RenderScheduler(() => this.flushUpdates()));

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: VerificationStore,
    private readonly log: ExchangeLog,
    private readonly actions: PanelActions,
    private readonly data: PanelData = NO_DATA,
  ) {
    super();
    this.register(store.onDidChange((e) => this.onEntry(e)));
    this.register({ dispose: () => this.disposePanel() });
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get isVisible(): boolean {
    return this.panel?.visible === true;
  }

  /** The exchange the user last picked, if it is still recorded. */
  get selectedExchangeId(): number | undefined {
    return this.selected !== undefined && this.log.view(this.selected) ? this.selected : undefined;
  }

  /** Messages posted so far (for the test hook). */
  get postedCount(): number {
    return this.posted;
  }

  /** Opens the panel, or reveals it where it is. */
  show(preserveFocus = false): void {
    if (this.panel) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      vscode.l10n.t('OneLogin MFA'),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...this.webviewOptions(), enableFindWidget: true, retainContextWhenHidden: false },
    );
    this.attach(panel);
  }

  /** Called by the serializer after a window reload, with the state the webview saved. */
  revive(panel: vscode.WebviewPanel, saved: unknown): void {
    const restored = parseSavedState(saved);
    this.store.restore(restored.states);
    for (const g of restored.groups) this.log.restore(g.key, g.exchanges, g.hiddenExchanges);
    if (restored.other) this.log.restore(OTHER_KEY, restored.other.exchanges, restored.other.hiddenExchanges);
    if (this.panel) {
      // Two panels restored (should not happen): keep one.
      panel.dispose();
      return;
    }
    this.attach(panel);
  }

  /** The app recorded a new exchange in the log: post it if the webview can take it. */
  onExchange({ key, view, hiddenExchanges }: RecordedExchange): void {
    this.update(() => ({ type: 'exchange', hostNow: Date.now(), key, exchange: view, hiddenExchanges }));
  }

  /** The rate-limit gauge changed. */
  onRateLimit(): void {
    const gauge = this.data.rateLimit();
    if (gauge) this.update(() => ({ type: 'rateLimit', hostNow: Date.now(), gauge }));
  }

  /** The history changed. */
  onHistory(): void {
    this.update(() => ({ type: 'history', hostNow: Date.now(), history: this.data.history() }));
  }

  /** A device listing arrived. */
  onDevices(): void {
    const devices = this.data.devices();
    if (devices) this.update(() => ({ type: 'devices', hostNow: Date.now(), devices }));
  }

  private onEntry(e: VerificationEntry | undefined): void {
    if (e) this.update(() => ({ type: 'entry', hostNow: Date.now(), entry: entryView(e) }));
    else this.requestSnapshot();
  }

  /** The whole picture changed (the store was cleared or restored): a snapshot replaces every update owed. */
  private requestSnapshot(): void {
    this.stale = true;
    this.outbox.clear();
    this.renders.request();
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      enableCommandUris: false,
      // The stylesheet and icons (media/) and the bundled scripts (dist/webview/, built from src/webview/).
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.stale = true;
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'icon-dark.svg'),
    };
    panel.webview.options = this.webviewOptions();
    this.panelDisposables.push(
      panel.onDidDispose(() => this.onPanelDisposed(panel)),
      panel.onDidChangeViewState(() => {
        // A webview hidden without retainContextWhenHidden is destroyed; it says 'ready' again when shown.
        if (!panel.visible) this.ready = false;
        else if (this.ready && this.stale) this.sendSnapshot();
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(parseWebviewMessage(raw))),
    );
    panel.webview.html = this.html(panel.webview);
  }

  private html(webview: vscode.Webview): string {
    const uri = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    const { createNonce, panelHtml, webviewStrings } = panelPageModule();
    return panelHtml({
      cspSource: webview.cspSource,
      scriptUri: uri('dist', 'webview', 'panel.js'),
      jsonScriptUri: uri('dist', 'webview', 'jsonView.js'),
      styleUri: uri('media', 'panel.css'),
      nonce: createNonce(),
      title: vscode.l10n.t('OneLogin MFA'),
      lang: vscode.env.language,
      strings: webviewStrings(),
    });
  }

  private onMessage(message: WebviewMessage | undefined): void {
    if (!message) return; // not on the allow-list, or malformed: ignored
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.sendSnapshot();
        return;
      case 'copyBody':
        void copyExchangeBody(this.log, message.exchangeId);
        return;
      case 'openBody':
        void openExchangeBody(this.log, message.exchangeId);
        return;
      case 'stopPoll':
        this.actions.stopPoll(message.key);
        return;
      case 'recheck':
        this.actions.recheck(message.userId, message.verificationId);
        return;
      case 'poll':
        this.actions.poll(message.userId, message.verificationId);
        return;
      case 'clearFinished': {
        this.store.clearFinished();
        const kept = new Set(this.store.entries().map((e) => e.key));
        this.log.remove(this.log.keys().filter((k) => !kept.has(k)));
        this.sendSnapshot();
        return;
      }
      case 'showLog':
        this.actions.showLog();
        return;
      case 'copyCurl': {
        const view = this.log.view(message.exchangeId);
        this.selected = message.exchangeId;
        if (view) this.actions.copyCurl(view);
        return;
      }
      case 'selectExchange':
        this.selected = message.exchangeId;
        return;
      case 'exportLog':
        this.actions.exportLog(message.format);
        return;
      case 'clearHistory':
        this.actions.clearHistory();
        return;
      case 'enterOtp':
        this.actions.enterOtp(message.userId, message.verificationId);
        return;
      case 'sendVerification':
        this.actions.sendVerification(message.userId, message.deviceId);
        return;
    }
  }

  /**
   * Queues a change for the next coalesced post (RenderScheduler): at most one post per render gap. The
   * message is built only when it can be posted: nothing is built for a closed or hidden panel.
   */
  private update(message: () => UpdateMessage): void {
    if (!this.canPost()) {
      // A snapshot is owed when the webview can take it ('ready', or shown again); it includes this change.
      this.stale = true;
      this.outbox.clear();
      return;
    }
    // While a snapshot is owed, it includes this change.
    if (!this.stale) this.outbox.add(message());
    this.renders.request();
  }

  private flushUpdates(): void {
    if (!this.canPost()) {
      this.stale = true;
      this.outbox.clear();
    } else if (this.stale) {
      this.sendSnapshot();
    } else {
      const message = this.outbox.take(Date.now());
      if (message) this.postNow(message);
    }
  }

  private sendSnapshot(): void {
    this.outbox.clear();
    if (!this.canPost()) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.postNow(
      buildSnapshot(this.store.entries(), this.log, Date.now(), {
        rateLimit: this.data.rateLimit(),
        history: this.data.history(),
        devices: this.data.devices(),
      }),
    );
  }

  private canPost(): boolean {
    return this.panel !== undefined && this.ready && this.panel.visible;
  }

  private postNow(message: HostMessage): void {
    const panel = this.panel;
    if (!panel) return;
    this.posted++;
    panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.stale = true;
      },
      () => {
        this.stale = true;
      },
    );
  }

  private onPanelDisposed(panel: vscode.WebviewPanel): void {
    if (this.panel !== panel) return;
    this.panel = undefined;
    this.ready = false;
    for (const d of this.panelDisposables.splice(0)) d.dispose();
  }

  private disposePanel(): void {
    const panel = this.panel;
    this.panel = undefined;
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    panel?.dispose();
  }
}
