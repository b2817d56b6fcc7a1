/** The panel's own commands (editor-title buttons while the panel is focused); vscode-free. */
export const PANEL_COMMAND = {
  copyCurl: 'onelogin-mfa.copyCurl',
  recheckAll: 'onelogin-mfa.recheckAll',
} as const;

/** Re-check all sends one status request each: at most this many, so a click cannot drain the rate limit. */
export const RECHECK_ALL_MAX = 20;
