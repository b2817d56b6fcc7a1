/**
 * Every setting of the extension, read in one place. No runtime `vscode` import: the caller injects
 * the configuration section (`vscode.workspace.getConfiguration('onelogin-mfa')` satisfies
 * `SettingsSource`), so bounds, defaults and the base-URL rules are unit-tested in plain Node.
 *
 * The base URL decides where the access token is sent, so it is read from user (global) settings or
 * the default only, never from a workspace or folder, even though the manifest already gives it
 * `application` scope and lists it in `restrictedConfigurations` (defense in depth). `application`, not
 * `machine`: in a remote window (code-server, Remote-SSH, WSL, Codespaces) a `machine` setting is read
 * from the remote machine's settings only, so the value a person puts in their user settings was ignored.
 */
import { DEFAULT_BASE_URL } from './onelogin/baseUrl';
import { boundedShare, MAX_SHARE_BOUNDS } from './verification/budget';
import { boundedMaxEntries, HISTORY_BOUNDS } from './records/history';
import { baseUrlSetting, type TenantSettings } from './connection/tenants';

export const SECTION = 'onelogin-mfa';

export const SETTING = {
  baseUrl: 'baseUrl',
  pollInterval: 'pollInterval',
  timeout: 'timeout',
  requestTimeout: 'requestTimeout',
  historyMaxEntries: 'history.maxEntries',
  tenants: 'tenants',
  rateLimitMaxShare: 'rateLimit.maxShare',
} as const;
export type SettingName = (typeof SETTING)[keyof typeof SETTING];

/** The full id of a setting, as shown in the Settings editor. */
export const settingId = (name: SettingName): string => `${SECTION}.${name}`;

/** Bounds (seconds, except the history's entry count); these mirror package.json (a test keeps them in sync). */
export const BOUNDS = {
  pollInterval: { default: 2, min: 1, max: 60 },
  timeout: { default: 120, min: 10, max: 900 },
  requestTimeout: { default: 10, min: 1, max: 120 },
  'history.maxEntries': HISTORY_BOUNDS,
  'rateLimit.maxShare': MAX_SHARE_BOUNDS,
} as const;

export { DEFAULT_BASE_URL };

/** The subset of `vscode.WorkspaceConfiguration` this module needs. */
export interface SettingsSource {
  get<T>(section: string): T | undefined;
  inspect<T>(section: string): { defaultValue?: T; globalValue?: T } | undefined;
}

export interface PollTiming {
  intervalMs: number;
  timeoutMs: number;
}

/** A number setting within its bounds: non-numbers fall back to the default, out-of-range values are clamped. */
export function boundedSeconds(value: unknown, bounds: { default: number; min: number; max: number }): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? value : bounds.default;
  return Math.min(bounds.max, Math.max(bounds.min, n));
}

/**
 * The base URL from user settings or the default, validated. Throws OneLoginError('invalidInput',
 * code 'INVALID_BASE_URL') whose message names the setting, so nothing is sent to a bad URL.
 */
export function resolveBaseUrl(source: SettingsSource): URL {
  const inspected = source.inspect<unknown>(SETTING.baseUrl);
  return baseUrlSetting(inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_BASE_URL, settingId(SETTING.baseUrl));
}

/** Typed, bounded getters over one settings source. Read each time: changes apply without a reload. */
export class Config {
  constructor(private readonly source: () => SettingsSource) {}

  /** The user's base URL and tenants list (user settings only; see tenants.ts). */
  tenantSettings(): TenantSettings {
    const source = this.source();
    return { baseUrl: source.inspect<unknown>(SETTING.baseUrl), tenants: source.inspect<unknown>(SETTING.tenants) };
  }

  pollIntervalMs(): number {
    return boundedSeconds(this.source().get<unknown>(SETTING.pollInterval), BOUNDS.pollInterval) * 1000;
  }

  timeoutMs(): number {
    return boundedSeconds(this.source().get<unknown>(SETTING.timeout), BOUNDS.timeout) * 1000;
  }

  requestTimeoutMs(): number {
    return boundedSeconds(this.source().get<unknown>(SETTING.requestTimeout), BOUNDS.requestTimeout) * 1000;
  }

  /** Verifications kept in the history (0: the history is off). Whole number, 0..500. */
  historyMaxEntries(): number {
    return boundedMaxEntries(this.source().get<unknown>(SETTING.historyMaxEntries));
  }

  /** The share (0.05..1) of the account's remaining rate limit that running polls may project to spend. */
  rateLimitMaxShare(): number {
    return boundedShare(this.source().get<unknown>(SETTING.rateLimitMaxShare));
  }

  pollTiming(): PollTiming {
    return { intervalMs: this.pollIntervalMs(), timeoutMs: this.timeoutMs() };
  }
}

/** Settings whose change means the API clients must be rebuilt. */
export const CLIENT_SETTINGS: readonly SettingName[] = [SETTING.baseUrl, SETTING.tenants, SETTING.requestTimeout];
