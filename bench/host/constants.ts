/** Shared by the host suite (runs inside VS Code) and bench/activation.ts (plain Node): no `vscode` import here. */
export const OUR_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';
/** The suite prints one line starting with this, followed by JSON. */
export const MARK = '@@BENCH-HOST ';

export interface HostTiming {
  id: string;
  found: boolean;
  wasActive: boolean;
  loadMs?: number;
  activateCallMs?: number;
  extActivateMs?: number;
  warmMs?: number[];
  error?: string;
}
