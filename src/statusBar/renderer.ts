/**
 * When the status bar item renders, without `vscode`: statusBarModel() from the store, at most once per
 * RENDER_GAP_MS however often the store changes, and once a second only while a countdown is shown (one
 * owned interval, cleared as soon as nothing is pending). item.ts copies each model onto the VS Code item;
 * the benchmarks count the renders.
 */
import { Disposable, toDisposable } from '../util/lifecycle';
import type { Localize } from '../util/l10n';
import { RenderScheduler } from '../util/renderScheduler';
import { gaugeText, type GaugeView } from '../records/rateLimit';
import type { VerificationStore } from '../verification/store';
import { statusBarModel, type StatusBarModel } from './model';

export interface StatusBarSources {
  store: VerificationStore;
  rateLimit: () => GaugeView | undefined;
  /** The active tenant when several are configured (else undefined: nothing extra shows). */
  activeTenant: () => string | undefined;
  t: Localize;
}

/** Shows a new model; `previous` is what was shown before (undefined the first time). */
export type ShowModel = (model: StatusBarModel, previous: StatusBarModel | undefined) => void;

export class StatusBarRenderer extends Disposable {
  private ticker: ReturnType<typeof setInterval> | undefined;
  private current: StatusBarModel | undefined;
  private readonly renders = this.register(new RenderScheduler(() => this.renderNow()));

  constructor(
    private readonly sources: StatusBarSources,
    private readonly show: ShowModel,
  ) {
    super();
    this.register(sources.store.onDidChange(() => this.render()));
    this.register(toDisposable(() => this.setTicking(false)));
    // The first render on the next turn, like every other: activation computes no model (and stays cheap).
    this.render();
  }

  /** The model as shown, after any render still owed. */
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
    const { store, rateLimit, activeTenant, t } = this.sources;
    const now = Date.now();
    const gauge = rateLimit();
    const model = statusBarModel(store.entries(), { now, t, rateLimitLine: gauge && gaugeText(gauge, now, t), activeTenant: activeTenant() });
    const previous = this.current;
    this.current = model;
    this.setTicking(model.ticking);
    this.show(model, previous);
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
