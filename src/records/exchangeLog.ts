/**
 * The exchange log: the recorded exchanges grouped per verification (capped per group and in groups), and
 * the full redacted bodies kept in memory for "Open in editor" and the export (capped in characters,
 * oldest evicted first). Pure and `vscode`-free; the panel, the body provider and the export read it.
 */
import type { Exchange } from '../onelogin/exchange';
import { redactBodyText } from '../onelogin/redact';
import { entryKey } from '../verification/store';
import type { ExchangeView } from './exchangeView';
import { LIMITS, OTHER_KEY, type Limits } from './exchangeLogConstants';
import { associate } from './exchangeOwner';
import { toExchangeView } from './exchangeDisplay';

interface Group {
  views: ExchangeView[];
  hidden: number;
  /** Insertion order, for evicting the oldest group. */
  seq: number;
}

export interface FullBody {
  text: string;
  isJson: boolean;
  /** False when only the preview is known (restored after a reload, or evicted from memory). */
  complete: boolean;
}

/** An exchange as the log recorded it: its verification's group key, its view, and how many older ones that group hides. */
export interface RecordedExchange {
  key: string;
  view: ExchangeView;
  hiddenExchanges: number;
}

export class ExchangeLog {
  private readonly groups = new Map<string, Group>();
  private readonly bodies = new Map<number, { text: string; isJson: boolean }>();
  private bodyChars = 0;
  private nextId = 1;
  private groupSeq = 0;
  readonly limits: Limits;

  constructor(limits: Partial<Limits> = {}) {
    this.limits = { ...LIMITS, ...limits };
  }

  /** Records an exchange; returns its group key and view (the message to post). */
  add(ex: Exchange): RecordedExchange {
    const ref = associate(ex);
    const key = ref ? entryKey(ref.userId, ref.verificationId, ex.tenant) : OTHER_KEY;
    const id = this.nextId++;
    const safeBody = redactBodyText(ex.bodyText ?? '');
    const view = toExchangeView(ex, id, this.limits.previewChars, safeBody);
    const group = this.groupFor(key);
    group.views.push(view);
    this.trim(group);
    this.keepBody(id, safeBody, ex.isJson);
    return { key, view, hiddenExchanges: group.hidden };
  }

  /** Re-adds exchange views restored from the webview's saved state (already validated), with fresh ids. */
  restore(key: string, views: ExchangeView[], hidden: number): void {
    if (this.groups.has(key)) return;
    const group = this.groupFor(key);
    group.hidden = hidden;
    for (const v of views) group.views.push({ ...v, id: this.nextId++, restored: true });
    this.trim(group);
  }

  keys(): string[] {
    return [...this.groups.keys()];
  }

  /** Every exchange view held, oldest first (for export). */
  all(): ExchangeView[] {
    return [...this.groups.values()].flatMap((g) => g.views).sort((a, b) => a.id - b.id);
  }

  /** The full body of an exchange only when it is still held complete (for export). */
  heldBody(id: number): string | undefined {
    return this.bodies.get(id)?.text;
  }

  group(key: string): { exchanges: ExchangeView[]; hiddenExchanges: number } {
    const g = this.groups.get(key);
    return { exchanges: g ? [...g.views] : [], hiddenExchanges: g?.hidden ?? 0 };
  }

  view(id: number): ExchangeView | undefined {
    for (const g of this.groups.values()) {
      const v = g.views.find((x) => x.id === id);
      if (v) return v;
    }
    return undefined;
  }

  /** The full body for "Open in editor" / "Copy", or the preview when the full body is gone. */
  fullBody(id: number): FullBody | undefined {
    const full = this.bodies.get(id);
    if (full) return { ...full, complete: true };
    const v = this.view(id);
    if (!v) return undefined;
    return { text: v.body, isJson: v.bodyKind === 'json', complete: !v.bodyCut && !v.bodyOmitted && !v.restored };
  }

  /** Drops the groups of the given keys (and their bodies). */
  remove(keys: Iterable<string>): void {
    for (const key of keys) {
      const g = this.groups.get(key);
      if (!g) continue;
      for (const v of g.views) this.dropBody(v.id);
      this.groups.delete(key);
    }
  }

  private groupFor(key: string): Group {
    let g = this.groups.get(key);
    if (!g) {
      g = { views: [], hidden: 0, seq: ++this.groupSeq };
      this.groups.set(key, g);
      if (this.groups.size > this.limits.maxGroups) {
        const oldest = [...this.groups.entries()].filter(([k]) => k !== key && k !== OTHER_KEY).sort((a, b) => a[1].seq - b[1].seq)[0];
        if (oldest) this.remove([oldest[0]]);
      }
    }
    return g;
  }

  private trim(group: Group): void {
    const excess = group.views.length - this.limits.maxExchangesPerGroup;
    if (excess > 0) {
      for (const v of group.views.splice(0, excess)) this.dropBody(v.id);
      group.hidden += excess;
    }
  }

  private keepBody(id: number, text: string, isJson: boolean): void {
    if (text.length > this.limits.fullBodyBudget) return;
    this.bodies.set(id, { text, isJson });
    this.bodyChars += text.length;
    for (const [oldId, b] of this.bodies) {
      if (this.bodyChars <= this.limits.fullBodyBudget) break;
      this.bodies.delete(oldId);
      this.bodyChars -= b.text.length;
    }
  }

  private dropBody(id: number): void {
    const b = this.bodies.get(id);
    if (b) {
      this.bodies.delete(id);
      this.bodyChars -= b.text.length;
    }
  }
}
