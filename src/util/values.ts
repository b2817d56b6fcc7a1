/** Small value helpers shared across the extension (no `vscode`, no state). */

/** A plain `{ ... }` object (argument objects from commands, parsed JSON): not an array, a class instance or null. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A long id shortened for a title or a row (`1234abcd…`); short ids stay whole. */
export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}
