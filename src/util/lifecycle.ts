/**
 * Ownership of disposables. No `vscode` import: `vscode.Disposable` is structurally `{ dispose(): void }`,
 * so this works for VS Code objects, timers wrapped with `toDisposable`, and plain Node objects alike,
 * and stays unit-testable in plain Node.
 */
export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** Disposes in reverse order of registration; one failing dispose does not stop the others. */
export function disposeAll(disposables: IDisposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    const d = disposables.pop();
    try {
      d?.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'Several disposables failed to dispose');
}

/** Base class for anything that owns disposables: register them, and they go when it goes. */
export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership; disposes at once when this object is already disposed. */
  protected register<T extends IDisposable>(value: T): T {
    if (this.disposed) {
      value.dispose();
    } else {
      this.owned.push(value);
    }
    return value;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}

/** A tiny synchronous event emitter (vscode-free), with listener errors isolated from the emitter. */
export class Emitter<T> implements IDisposable {
  private listeners = new Set<(value: T) => void>();

  constructor(private readonly onListenerError: (e: unknown) => void = () => undefined) {}

  readonly event = (listener: (value: T) => void): IDisposable => {
    const fn = (v: T): void => listener(v);
    this.listeners.add(fn);
    return toDisposable(() => this.listeners.delete(fn));
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
