/**
 * The one status bar item (id `onelogin-mfa.status`): renders statusBarModel() from the store, at most
 * once per RENDER_GAP_MS however often the store changes, and once a second only while a countdown is
 * shown (one owned interval, cleared as soon as nothing is pending). Click opens the panel.
 */
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../util/lifecycle';
import { RenderScheduler } from '../util/renderScheduler';
import { statusBarModel, type StatusBarModel } from './model';
import type { VerificationStore } from '../verification/store';
import { gaugeText, type GaugeView } from '../records/rateLimit';
import { COMMAND } from '../commandIds';

export const STATUS_BAR_ID = 'onelogin-mfa.status';

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private current: StatusBarModel | undefined;
  private readonly renders = this.register(new RenderScheduler(() => this.renderNow()));

  constructor(
    private readonly store: VerificationStore,
    private readonly rateLimit: () => GaugeView | undefined = () => undefined,
    /** The active tenant when several are configured (else undefined: nothing extra shows). */
    private readonly activeTenant: () => string | undefined = () => undefined,
  ) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 100));
    this.item.name = vscode.l10n.t('OneLogin MFA');
    this.item.command = { command: COMMAND.showPanel, title: vscode.l10n.t('Open the OneLogin MFA panel') };
    this.register(store.onDidChange(() => this.render()));
    this.register(toDisposable(() => this.setTicking(false)));
    // The first render on the next turn, like every other: activation computes no model (and stays cheap).
    this.render();
    this.item.show();
  }

  /** The model as shown, after any render still owed (for the extension's test hook). */
  get model(): StatusBarModel | undefined {
    this.renders.flush();
    return this.current;
  }

  /** Asks for a render (coalesced with others). */
  render(): void {
    this.renders.request();
  }

  private renderNow(): void {
    if (this.isDisposed) return;
    const now = Date.now();
    const gauge = this.rateLimit();
    const model = statusBarModel(this.store.entries(), {
      now,
      t: vscode.l10n.t,
      rateLimitLine: gauge && gaugeText(gauge, now, vscode.l10n.t),
      activeTenant: this.activeTenant(),
    });
    const previous = this.current;
    this.current = model;
    this.setTicking(model.ticking);
    // Each property set is a message to the window: send only what changed (a poll changes the
    // store several times per request, mostly without changing what the item shows).
    if (previous?.text !== model.text) this.item.text = model.text;
    if (previous?.tooltip !== model.tooltip) this.item.tooltip = model.tooltip;
    if (previous?.ariaLabel !== model.ariaLabel) this.item.accessibilityInformation = { label: model.ariaLabel, role: 'button' };
    if (previous === undefined || previous.background !== model.background) {
      this.item.backgroundColor =
        model.background === 'error'
          ? new vscode.ThemeColor('statusBarItem.errorBackground')
          : model.background === 'warning'
            ? new vscode.ThemeColor('statusBarItem.warningBackground')
            : undefined;
    }
  }

  private setTicking(on: boolean): void {
    if (on && this.ticker === undefined) {
      this.ticker = setInterval(() => this.render(), 1000);
    } else if (!on && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
