/**
 * Coalesces renders: many change events turn into at most one render per `minGapMs`. A poll changes the
 * store several times per request, and 200 polls change it hundreds of times a second; rendering each
 * change costs O(verifications) every time, for a screen nobody can read that fast.
 *
 * The first change after a quiet spell renders on the next turn of the event loop (changes made in the
 * same turn share it); changes that follow within `minGapMs` of a render wait for the gap to end. Plain
 * Node, driven by setTimeout only, so it is unit-tested with fake timers. `flush()` renders at once
 * whatever is owed (tests and snapshots read the rendered state through it).
 */
import type { IDisposable } from './lifecycle';

/** The default gap: ten renders a second at most, below what the eye notices as lag. */
export const RENDER_GAP_MS = 100;

export class RenderScheduler implements IDisposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastRunAt = Number.NEGATIVE_INFINITY;
  private disposed = false;

  constructor(
    private readonly render: () => void,
    private readonly minGapMs = RENDER_GAP_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a render is owed and not yet done. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  /** Asks for a render; several asks before it runs make one. */
  request(): void {
    if (this.disposed || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastRunAt + this.minGapMs - this.now());
    this.timer = setTimeout(() => this.run(), wait);
  }

  /** Renders now if a render is owed. */
  flush(): void {
    if (this.timer !== undefined) this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private run(): void {
    this.cancel();
    if (this.disposed) return;
    this.lastRunAt = this.now();
    this.render();
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
