/**
 * The one status bar item (id `onelogin-mfa.status`): shows what StatusBarRenderer computes, setting only
 * the properties that changed. Click opens the panel.
 */
import * as vscode from 'vscode';
import { Disposable } from '../util/lifecycle';
import { COMMAND } from '../commandIds';
import type { StatusBarModel } from './model';
import { StatusBarRenderer, type StatusBarSources } from './renderer';

const STATUS_BAR_ID = 'onelogin-mfa.status';

export class StatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly renderer: StatusBarRenderer;

  constructor(sources: Omit<StatusBarSources, 't'>) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem(STATUS_BAR_ID, vscode.StatusBarAlignment.Left, 100));
    this.item.name = vscode.l10n.t('OneLogin MFA');
    this.item.command = { command: COMMAND.showPanel, title: vscode.l10n.t('Open the OneLogin MFA panel') };
    this.renderer = this.register(new StatusBarRenderer({ ...sources, t: vscode.l10n.t }, (model, previous) => this.show(model, previous)));
    this.item.show();
  }

  /** The model as shown, after any render still owed (for the extension's test hook). */
  get model(): StatusBarModel | undefined {
    return this.renderer.model;
  }

  /** Asks for a render (coalesced with others). */
  render(): void {
    this.renderer.render();
  }

  private show(model: StatusBarModel, previous: StatusBarModel | undefined): void {
    if (this.isDisposed) return;
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
}
