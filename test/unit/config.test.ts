import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOUNDS, boundedSeconds, Config, DEFAULT_BASE_URL, resolveBaseUrl, settingId, type SettingsSource } from '../../src/config';
import { OneLoginError } from '../../src/onelogin/errors';

interface Layer {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** A fake configuration section: `get` merges like VS Code (folder > workspace > user > default). */
function source(layers: Record<string, Layer>): SettingsSource {
  return {
    get: <T>(key: string) => {
      const l = layers[key] ?? {};
      return (l.workspaceFolderValue ?? l.workspaceValue ?? l.globalValue ?? l.defaultValue) as T | undefined;
    },
    inspect: <T>(key: string) => layers[key] as { defaultValue?: T; globalValue?: T } | undefined,
  };
}

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  extensionKind?: string[];
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
  capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations: string[] } };
};
const properties = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('base URL: user value or default only; a workspace value is ignored', () => {
    const url = resolveBaseUrl(
      source({ baseUrl: { defaultValue: DEFAULT_BASE_URL, workspaceValue: 'https://evil.example.com', workspaceFolderValue: 'https://evil2.example.com' } }),
    );
    assert.equal(url.origin, 'https://api.us.onelogin.com');
    const user = resolveBaseUrl(source({ baseUrl: { defaultValue: DEFAULT_BASE_URL, globalValue: 'http://127.0.0.1:8123', workspaceValue: 'https://evil.example.com' } }));
    assert.equal(user.origin, 'http://127.0.0.1:8123');
  });

  it('an invalid base URL fails with a message naming the setting, before anything is sent', () => {
    for (const bad of ['http://acme.onelogin.com', 'https://user:pw@acme.onelogin.com', 'https://acme.onelogin.com/api', 'ftp://x', '', 42]) {
      assert.throws(
        () => resolveBaseUrl(source({ baseUrl: { defaultValue: DEFAULT_BASE_URL, globalValue: bad } })),
        (e: unknown) => e instanceof OneLoginError && e.kind === 'invalidInput' && e.code === 'INVALID_BASE_URL' && e.message.includes('onelogin-mfa.baseUrl'),
        String(bad),
      );
    }
  });

  it('numbers are bounded and fall back to the default', () => {
    assert.equal(boundedSeconds(0, BOUNDS.pollInterval), 1);
    assert.equal(boundedSeconds(1e9, BOUNDS.timeout), 900);
    assert.equal(boundedSeconds('5', BOUNDS.requestTimeout), 10);
    assert.equal(boundedSeconds(Number.NaN, BOUNDS.pollInterval), 2);
    const config = new Config(() => source({ pollInterval: { globalValue: 0.2 }, timeout: { workspaceValue: 30 }, requestTimeout: {} }));
    assert.deepEqual(config.pollTiming(), { intervalMs: 1000, timeoutMs: 30_000 });
    assert.equal(config.requestTimeoutMs(), 10_000);
  });

  it('history.maxEntries: a whole number 0..500, default 50', () => {
    const layers: Record<string, Layer> = { 'history.maxEntries': {} };
    const config = new Config(() => source(layers));
    assert.equal(config.historyMaxEntries(), 50);
    for (const [value, expected] of [[0, 0], [12.7, 12], [-1, 0], [9999, 500], ['7', 50]] as const) {
      layers['history.maxEntries'].globalValue = value;
      assert.equal(config.historyMaxEntries(), expected, String(value));
    }
    assert.equal(properties['onelogin-mfa.history.maxEntries'].type, 'integer');
    assert.equal(properties['onelogin-mfa.history.maxEntries'].scope, 'window');
  });

  it('rateLimit.maxShare: 0.05..1, default 0.5, window scope (issue 14)', () => {
    const layers: Record<string, Layer> = { 'rateLimit.maxShare': {} };
    const config = new Config(() => source(layers));
    assert.equal(config.rateLimitMaxShare(), 0.5);
    for (const [value, expected] of [[0.25, 0.25], [0, 0.05], [3, 1], ['x', 0.5]] as const) {
      layers['rateLimit.maxShare'].globalValue = value;
      assert.equal(config.rateLimitMaxShare(), expected, String(value));
    }
    const p = properties['onelogin-mfa.rateLimit.maxShare'];
    assert.deepEqual([p.type, p.default, p.minimum, p.maximum, p.scope], ['number', 0.5, 0.05, 1, 'window']);
  });

  it('changes apply without a reload (read on every call)', () => {
    const layers: Record<string, Layer> = { pollInterval: { globalValue: 3 } };
    const config = new Config(() => source(layers));
    assert.equal(config.pollIntervalMs(), 3000);
    layers.pollInterval.globalValue = 7;
    assert.equal(config.pollIntervalMs(), 7000);
  });

  it('the manifest matches: bounds, defaults, explicit scopes, markdown descriptions', () => {
    for (const [name, b] of Object.entries(BOUNDS)) {
      const p = properties[settingId(name as keyof typeof BOUNDS)];
      assert.ok(p, name);
      assert.equal(p.default, b.default, name);
      assert.equal(p.minimum, b.min, name);
      assert.equal(p.maximum, b.max, name);
    }
    for (const [id, p] of Object.entries(properties)) {
      assert.ok(typeof p.scope === 'string', `${id} has an explicit scope`);
      assert.match(String(p.markdownDescription), /^%.+%$/, `${id} has a localized markdownDescription`);
    }
    const base = properties['onelogin-mfa.baseUrl'];
    assert.equal(base.default, DEFAULT_BASE_URL);
    // `application`: the user's own settings count in remote windows too (a `machine` value there is read
    // from the remote machine's settings only), and no workspace can set it.
    assert.equal(base.scope, 'application');
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('onelogin-mfa.baseUrl'));
  });

  it("the manifest's base URL pattern agrees with the runtime check on typical values", () => {
    const pattern = new RegExp(String(properties['onelogin-mfa.baseUrl'].pattern));
    const ok = (v: string): boolean => {
      try {
        resolveBaseUrl(source({ baseUrl: { globalValue: v } }));
        return true;
      } catch {
        return false;
      }
    };
    for (const v of ['https://acme.onelogin.com', 'https://api.eu.onelogin.com/', 'http://127.0.0.1:8123', 'http://localhost:9', 'http://[::1]:80', 'http://acme.onelogin.com', 'https://a.com/path', 'https://u@a.com']) {
      assert.equal(pattern.test(v), ok(v), v);
    }
  });
});
