/** Time arithmetic shared by the status bar, the sidebar and the notifications. */

/** Whole seconds left until `expiresAt` (never negative). */
export function secondsLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}
