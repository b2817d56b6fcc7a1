/**
 * The sidebar TreeView (`onelogin-mfa.verifications`): renders SidebarModel rows from the same store as
 * the status bar, plus the history and the recent device listings. It has no polling of its own: it
 * refreshes on their change events, and once a second only while a countdown is shown (one owned
 * interval, cleared as soon as nothing is live). Refreshes are coalesced (RenderScheduler), and a
 * section is refreshed only when what it shows changed: a row re-rendered for nothing would swallow a
 * click on its inline action or close its context menu. Rows are plain objects, so the menus hand them
 * to the sidebar commands as argument objects.
 */
import * as vscode from 'vscode';
import { formatMessage, type Localize } from '../util/l10n';
import { Disposable, toDisposable } from '../util/lifecycle';
import { RenderScheduler } from '../util/renderScheduler';
import type { VerificationStore } from '../verification/store';
import type { HistoryEntry } from '../records/history';
import { isTicking, SidebarModel, type SectionId, type SidebarRow } from './model';
import { VIEW_ID } from './ids';
import type { RecentDevices } from '../records/recentDevices';


/** A row as the test hook shows it: the row, and its children for sections and users. */
export interface SidebarItemView {
  id: string;
  label: string;
  description?: string;
  icon?: string;
  contextValue: string;
  children?: SidebarItemView[];
}

export interface SidebarSources {
  store: VerificationStore;
  history: { entries(): HistoryEntry[]; onDidChange: (listener: () => void) => { dispose(): void } };
  devices: RecentDevices;
}

/**
 * The model's strings, translated. Written out as literal vscode.l10n.t calls so that @vscode/l10n-dev
 * extracts them into l10n/bundle.l10n.json (it cannot see the `t` the vscode-free model is given);
 * a unit test keeps this list and the model's strings in step.
 */
function sidebarStrings(): Map<string, string> {
  return new Map([
    ['1 device', vscode.l10n.t('1 device')],
    ['Checks: {0}', vscode.l10n.t('Checks: {0}')],
    ['Device id: {0}', vscode.l10n.t('Device id: {0}')],
    ['Device: {0}', vscode.l10n.t('Device: {0}')],
    ['Devices', vscode.l10n.t('Devices')],
    ['From {0} to {1}', vscode.l10n.t('From {0} to {1}')],
    ['Last HTTP status: {0}', vscode.l10n.t('Last HTTP status: {0}')],
    ['Live', vscode.l10n.t('Live')],
    ['Outcome: {0}', vscode.l10n.t('Outcome: {0}')],
    ['Recent', vscode.l10n.t('Recent')],
    ['State: {0}', vscode.l10n.t('State: {0}')],
    ['User id: {0}', vscode.l10n.t('User id: {0}')],
    ['User {0}', vscode.l10n.t('User {0}')],
    ['Verification {0}', vscode.l10n.t('Verification {0}')],
    ['accepted', vscode.l10n.t('accepted')],
    ['default', vscode.l10n.t('default')],
    ['device id {0}', vscode.l10n.t('device id {0}')],
    ['error: {0}', vscode.l10n.t('error: {0}')],
    ['expired', vscode.l10n.t('expired')],
    ['idle', vscode.l10n.t('idle')],
    ['needs a code', vscode.l10n.t('needs a code')],
    ['pending (checked once)', vscode.l10n.t('pending (checked once)')],
    ['pending', vscode.l10n.t('pending')],
    ['rejected', vscode.l10n.t('rejected')],
    ['retrying after {0}', vscode.l10n.t('retrying after {0}')],
    ['stopped', vscode.l10n.t('stopped')],
    ['unknown', vscode.l10n.t('unknown')],
    ['user {0}', vscode.l10n.t('user {0}')],
    ['{0} devices', vscode.l10n.t('{0} devices')],
    ['{0} s left', vscode.l10n.t('{0} s left')],
  ]);
}

/** Looks a message up in the translated strings, then fills in its {0} placeholders. */
function localizer(): Localize {
  const strings = sidebarStrings();
  return (message, ...args) => formatMessage(strings.get(message) ?? message, ...args);
}

export class SidebarTree extends Disposable implements vscode.TreeDataProvider<SidebarRow> {
  private readonly changed = this.register(new vscode.EventEmitter<SidebarRow | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The sections last handed to VS Code: a refresh of one section needs the very same object. */
  private shown = new Map<SectionId, SidebarRow>();
  /** What each section showed when VS Code last got it (the section row and everything under it). */
  private shownText = new Map<SectionId, string>();
  private readonly renders = this.register(new RenderScheduler(() => this.refreshChanged()));
  private readonly t = localizer();
  readonly view: vscode.TreeView<SidebarRow>;

  constructor(private readonly src: SidebarSources) {
    super();
    this.view = this.register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register(src.store.onDidChange(() => this.refresh()));
    this.register(src.history.onDidChange(() => this.refresh()));
    this.register(src.devices.onDidChange(() => this.refresh()));
    this.register(toDisposable(() => this.setTicking(false)));
    this.setTicking(isTicking(src.store.entries()));
  }

  getTreeItem(row: SidebarRow): vscode.TreeItem {
    const state =
      row.collapsible === 'expanded'
        ? vscode.TreeItemCollapsibleState.Expanded
        : row.collapsible === 'collapsed'
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(row.label, state);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.contextValue = row.context;
    if (row.icon) item.iconPath = new vscode.ThemeIcon(row.icon, row.iconColor ? new vscode.ThemeColor(row.iconColor) : undefined);
    item.accessibilityInformation = { label: [row.label, row.description].filter(Boolean).join(', ') };
    return item;
  }

  getChildren(row?: SidebarRow): SidebarRow[] {
    const model = this.model();
    if (!row) {
      const sections = model.sections();
      this.shown = new Map(sections.map((s) => [s.section as SectionId, s]));
      this.shownText = new Map(sections.map((s) => [s.section as SectionId, sectionText(model, s)]));
      return sections;
    }
    return model.children(row);
  }

  /** Rows nest at most three deep (section > user > device); reveal() is not used, so no parent links. */
  getParent(): undefined {
    return undefined;
  }

  /** Everything the tree shows now, for the extension's test hook. */
  snapshot(): SidebarItemView[] {
    const model = this.model();
    const walk = (rows: SidebarRow[]): SidebarItemView[] =>
      rows.map((r) => {
        const v: SidebarItemView = { id: r.id, label: r.label, contextValue: r.context };
        if (r.description !== undefined) v.description = r.description;
        if (r.icon !== undefined) v.icon = r.icon;
        if (r.collapsible) v.children = walk(model.children(r));
        return v;
      });
    return walk(model.sections());
  }

  /** Whether the once-a-second countdown refresh runs, after any refresh still owed (for tests). */
  get ticking(): boolean {
    this.renders.flush();
    return this.ticker !== undefined;
  }

  private model(): SidebarModel {
    return new SidebarModel({ entries: this.src.store.entries(), history: this.src.history.entries(), devices: this.src.devices.all() }, { now: Date.now(), t: this.t });
  }

  private refresh(): void {
    if (!this.isDisposed) this.renders.request();
  }

  /** Tells VS Code about each section whose rendering changed since it last asked. */
  private refreshChanged(): void {
    if (this.isDisposed) return;
    this.setTicking(isTicking(this.src.store.entries()));
    const model = this.model();
    const sections = model.sections();
    const same = sections.length === this.shown.size && sections.every((s) => this.shown.has(s.section as SectionId));
    if (!same) {
      // The set of sections changed: refresh from the root (getChildren records what it hands out).
      this.changed.fire(undefined);
      return;
    }
    for (const fresh of sections) {
      const id = fresh.section as SectionId;
      const shown = this.shown.get(id);
      const text = sectionText(model, fresh);
      if (!shown || this.shownText.get(id) === text) continue;
      // VS Code asks getTreeItem() again for the object it already has: give it the new label and count.
      Object.assign(shown, fresh);
      this.shownText.set(id, text);
      this.changed.fire(shown);
    }
  }

  private setTicking(on: boolean): void {
    if (on && this.ticker === undefined) {
      this.ticker = setInterval(() => this.refresh(), 1000);
    } else if (!on && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}

/** A section's row and every row under it, as text: equal text means an equal rendering. */
function sectionText(model: SidebarModel, section: SidebarRow): string {
  const walk = (row: SidebarRow): unknown[] => [row, ...(row.collapsible ? model.children(row).map(walk) : [])];
  return JSON.stringify(walk(section));
}
