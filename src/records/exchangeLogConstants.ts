/**
 * The exchange log's constants: its size caps and the key of the group for exchanges that belong to no
 * verification. A file without imports, so the panel's protocol (and the webview bundle through it) can
 * share them without pulling in the log itself.
 */

/** The group key of exchanges that belong to no verification (token requests, device lists, ...). */
export const OTHER_KEY = '*other*';

export const LIMITS = {
  /** Body characters posted to the webview per exchange. */
  previewChars: 256 * 1024,
  /** Exchanges kept per verification (older ones are counted as hidden). */
  maxExchangesPerGroup: 200,
  /** Verifications (groups) kept. */
  maxGroups: 50,
  /** Body characters posted in one snapshot, newest first; older bodies are omitted (still openable). */
  snapshotBodyBudget: 4 * 1024 * 1024,
  /** Full bodies kept in memory for "Open in editor", in characters, oldest evicted first. */
  fullBodyBudget: 32 * 1024 * 1024,
  /** Restoring saved webview state: at most this much per body, and this many exchanges per group. */
  restoredBodyChars: 16 * 1024,
  restoredExchangesPerGroup: 50,
} as const;

export type Limits = { [K in keyof typeof LIMITS]: number };
