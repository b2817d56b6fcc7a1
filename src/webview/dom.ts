/** Small DOM and text helpers. Every value goes into the page as text (textContent), never as HTML. */

/** Fills `{0}`, `{1}`, ... in a localized template. */
export function fmt(template: string | undefined, ...args: (string | number)[]): string {
  return String(template || '').replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m));
}

/** Creates an element with a class and optional text (always textContent). */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A button whose data-action the click handler (actions.ts) dispatches on. */
export function button(action: string, label: string): HTMLButtonElement {
  const b = el('button', `action action-${action}`, label);
  b.type = 'button';
  b.dataset.action = action;
  return b;
}

export function bytes(n: number): string {
  if (typeof n !== 'number' || !isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function time(ms: number | undefined): string {
  return typeof ms === 'number' && ms > 0 ? new Date(ms).toLocaleTimeString() : '—';
}

/** "name: value" lines. */
export function headerLines(headers: Record<string, string> | undefined): string {
  return Object.entries(headers || {})
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}
