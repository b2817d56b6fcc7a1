/**
 * One request's abort switch, handed to axios as its `signal` (axios accepts any GenericAbortSignal: an
 * `aborted` flag plus add/removeEventListener). The request's hard deadline and the caller's cancel trip it.
 * A Node AbortController is an EventTarget: one per request cost more CPU than the rest of the client's
 * own work on a status GET.
 */
export class AbortSwitch {
  aborted = false;
  private listeners: (() => void)[] = [];

  addEventListener(type: string, listener: () => void): void {
    if (type === 'abort' && !this.aborted) this.listeners.push(listener);
  }

  removeEventListener(type: string, listener: () => void): void {
    if (type === 'abort') this.listeners = this.listeners.filter((l) => l !== listener);
  }

  /** Trips once; every listener is called, and a throwing one does not stop the others. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) {
      try {
        l();
      } catch {
        // one listener's failure is its own
      }
    }
  }
}
