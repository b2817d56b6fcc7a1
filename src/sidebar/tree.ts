/**
 * The sidebar TreeView (`onelogin-mfa.verifications`): renders SidebarModel rows from the same store as
 * the status bar, plus the history and the recent device listings. It has no polling of its own: it
 * refreshes on their change events, and once a second only while a countdown is shown (one owned
 * interval, cleared as soon as nothing is live). Rows are plain objects, so the menus hand them to the
 * sidebar commands as argument objects.
 */
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../lifecycle';
import type { VerificationStore } from '../verificationStore';
import type { HistoryEntry } from '../workflow/history';
import { isTicking, SidebarModel, type SectionId, type SidebarRow } from './model';
import { VIEW_ID } from './ids';
import type { RecentDevices } from './recentDevices';


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

export class SidebarTree extends Disposable implements vscode.TreeDataProvider<SidebarRow> {
  private readonly changed = this.register(new vscode.EventEmitter<SidebarRow | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private ticker: ReturnType<typeof setInterval> | undefined;
  /** The sections last handed to VS Code: a refresh of one section needs the very same object. */
  private shown = new Map<SectionId, SidebarRow>();
  readonly view: vscode.TreeView<SidebarRow>;

  constructor(private readonly src: SidebarSources) {
    super();
    this.view = this.register(vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true }));
    this.register(src.store.onDidChange(() => this.refresh('live')));
    this.register(src.history.onDidChange(() => this.refresh('recent')));
    this.register(src.devices.onDidChange(() => this.refresh('devices')));
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

  /** Whether the once-a-second countdown refresh runs (for tests). */
  get ticking(): boolean {
    return this.ticker !== undefined;
  }

  private model(): SidebarModel {
    return new SidebarModel({ entries: this.src.store.entries(), history: this.src.history.entries(), devices: this.src.devices.all() }, { now: Date.now(), t: vscode.l10n.t });
  }

  private refresh(section: SectionId): void {
    if (this.isDisposed) return;
    if (section === 'live') this.setTicking(isTicking(this.src.store.entries()));
    const visible = new Set(this.model().sections().map((s) => s.section));
    const same = visible.size === this.shown.size && [...visible].every((s) => s !== undefined && this.shown.has(s));
    // The set of sections changed: refresh from the root; otherwise only the section that changed.
    this.changed.fire(same ? this.shown.get(section) : undefined);
  }

  private setTicking(on: boolean): void {
    if (on && this.ticker === undefined) {
      this.ticker = setInterval(() => this.refresh('live'), 1000);
    } else if (!on && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
