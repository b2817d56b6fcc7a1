/**
 * Pure modules take a `Localize` function instead of importing `vscode`: the extension passes
 * `vscode.l10n.t`, unit tests use `formatMessage` (the same `{0}` placeholder syntax, in English).
 */
export type Localize = (message: string, ...args: Array<string | number | boolean>) => string;

export const formatMessage: Localize = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const i = Number(index);
    return i < args.length ? String(args[i]) : match;
  });
