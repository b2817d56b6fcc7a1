/**
 * Shared pieces of the integration files that test the commands (issue 4): the extension's test hooks,
 * a command runner that keeps every result (the secret scan reads them), settings that are applied and
 * then awaited until the extension host sees them, a full reset between tests, condition waits, and the
 * secrets these files use (unique strings, so a scan can look for them anywhere).
 *
 * Not a test file: index.ts only loads `*.test.js`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { VerificationCommandResult } from '../../src/commands/results';
import type { TestHooks } from '../../src/extension';
import type { SimRequest, Simulator } from '../mock-onelogin/server';

export const EXTENSION_ID = 'onelogin-mfa-tools.onelogin-mfa-verify';
export const SECTION = 'onelogin-mfa';

/** Every secret these files hand to the extension. None may show up in a result, a setting or a log. */
export const SECRETS = {
  token: 'i4-access-token-Q7rT9zK2mW4xN8cV',
  wrongToken: 'i4-wrong-token-Z1x2C3v4B5n6M7aS',
  clientId: 'i4-client-id-P3nB8vL1kJ6hG5dF',
  clientSecret: 'i4-client-secret-H6jD2sF9qY5eR1tU',
  wrongSecret: 'i4-wrong-secret-W8eR7tY6uI5oP4aQ',
} as const;

/** Options for startSimulator(): the simulator accepts exactly these credentials. */
export const SIM_OPTIONS = {
  accessTokens: [SECRETS.token],
  clientId: SECRETS.clientId,
  clientSecret: SECRETS.clientSecret,
};

/** The settings these files change; resetAll() puts every one back to its default. */
export const TOUCHED_SETTINGS = ['baseUrl', 'tenants', 'pollInterval', 'timeout', 'requestTimeout'] as const;
export type TouchedSetting = (typeof TOUCHED_SETTINGS)[number];

/** What a verification command returns: the product's own type, so tests follow it when it changes. */
export type VerificationResult = VerificationCommandResult;

export interface CredentialsResult {
  stored: boolean;
  kind?: string;
  cancelled?: boolean;
  error?: { kind: string; message: string; code?: string };
}

/** Every command result of this extension-host run, as JSON, for the secret scan. */
export const recordedResults: { command: string; json: string }[] = [];

let cachedHooks: TestHooks | undefined;

/** Activates the extension and returns the hooks activate() returns in ExtensionMode.Test. */
export async function hooks(): Promise<TestHooks> {
  if (cachedHooks) return cachedHooks;
  const ext = vscode.extensions.getExtension<TestHooks | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  const exported = await ext.activate();
  assert.ok(exported, 'activate() returns the test hooks in ExtensionMode.Test');
  cachedHooks = exported;
  return exported;
}

/** Runs a command through VS Code's command service (as a keybinding or another extension would) and keeps its result. */
export async function run<T>(command: string, arg?: unknown): Promise<T> {
  const result = await (arg === undefined ? vscode.commands.executeCommand<T>(command) : vscode.commands.executeCommand<T>(command, arg));
  recordedResults.push({ command, json: JSON.stringify(result) ?? 'undefined' });
  return result;
}

export async function until(what: string | (() => string), predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Writes user (global) settings and waits until the extension host's configuration shows them: the
 * extension's onDidChangeConfiguration listener has run by then (VS Code updates the data and fires the
 * event in one go), so the next command sees the new values. `undefined` removes a setting.
 */
export async function setSettings(values: Partial<Record<TouchedSetting, unknown>>): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  for (const [key, value] of Object.entries(values)) {
    await config.update(key, value, vscode.ConfigurationTarget.Global);
  }
  await until(
    () => `settings ${JSON.stringify(values)}`,
    () => {
      const now = vscode.workspace.getConfiguration(SECTION);
      return Object.entries(values).every(([key, value]) => sameValue(now.inspect(key)?.globalValue, value));
    },
  );
  // A workspace or folder value left by another suite would win over the user value: say so plainly.
  const now = vscode.workspace.getConfiguration(SECTION);
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && key !== 'baseUrl') {
      assert.ok(sameValue(now.get(key), value), `${SECTION}.${key} is ${JSON.stringify(now.get(key))}, not ${JSON.stringify(value)}: overridden at ${JSON.stringify(now.inspect(key))}`);
    }
  }
}

/**
 * Puts the extension back to a known state: every poll stopped (and finished), no credentials, every
 * setting these files touch back to its default. Safe to call when nothing was changed.
 */
export async function resetAll(): Promise<void> {
  await run('onelogin-mfa.stopPolling');
  const h = await hooks();
  await until('every poll to end', () => h.entries().every((e) => !e.polling));
  // Settings first: with one tenant again, Clear Credentials has no tenant to ask about.
  const defaults: Partial<Record<TouchedSetting, undefined>> = {};
  for (const key of TOUCHED_SETTINGS) defaults[key] = undefined;
  await setSettings(defaults);
  await run('onelogin-mfa.clearCredentials');
}

/** Stores the test token through the command, as a caller with arguments would. */
export async function useToken(token: string = SECRETS.token): Promise<void> {
  const r = await run<CredentialsResult>('onelogin-mfa.setAccessToken', { accessToken: token });
  assert.deepEqual(r, { stored: true, kind: 'accessToken' });
}

/** The raw path of the status GET of one verification (ids URL-encoded as the client sends them). */
export function statusPath(userId: string, verificationId: string): string {
  return `/api/2/mfa/users/${encodeURIComponent(userId)}/verifications/${encodeURIComponent(verificationId)}`;
}

/** The status GETs the simulator received for one verification, in order. */
export function statusGets(sim: Simulator, userId: string, verificationId: string): SimRequest[] {
  const p = statusPath(userId, verificationId);
  return sim.requests.filter((r) => r.method === 'GET' && r.path === p);
}

/** The hooks' entry of one verification. */
export function entryOf(h: TestHooks, userId: string, verificationId: string): ReturnType<TestHooks['entries']>[number] | undefined {
  return h.entries().find((e) => e.userId === userId && e.verificationId === verificationId);
}

/** Fails when any of the secrets appears in `text` (as is, or JSON-escaped). */
export function assertNoSecret(text: string, where: string, secrets: readonly string[] = Object.values(SECRETS)): void {
  for (const secret of secrets) {
    const spelled = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
    for (const s of spelled) {
      const at = text.indexOf(s);
      assert.equal(at, -1, `a secret (…${secret.slice(-4)}) appears in ${where}: …${text.slice(Math.max(0, at - 60), at + 60)}…`);
    }
  }
}

// ---------------------------------------------------------------- files VS Code writes

/**
 * The `--user-data-dir` of this VS Code: the extension host cannot ask for it, so this walks up its
 * process ancestry (Linux /proc) to the process started with the flag: code-server's server here, the
 * main process of desktop VS Code. Undefined where /proc does not exist.
 */
export function userDataDir(): string | undefined {
  let pid = process.ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    let argv: string[];
    let stat: string;
    try {
      argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === '--user-data-dir' && argv[i + 1]) return path.resolve(argv[i + 1]);
      if (argv[i].startsWith('--user-data-dir=')) return path.resolve(argv[i].slice('--user-data-dir='.length));
    }
    // The 4th field of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!Number.isInteger(ppid) || ppid === pid) return undefined;
    pid = ppid;
  }
  return undefined;
}

/** Every regular file under `dir` (symlinks not followed), skipping files over `maxBytes`. */
export function filesUnder(dir: string, maxBytes = 20 * 1024 * 1024): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        try {
          if (fs.statSync(full).size <= maxBytes) out.push(full);
        } catch {
          // removed meanwhile
        }
      }
    }
  };
  walk(dir);
  return out;
}

/** The "OneLogin MFA" log files (LogOutputChannel) of this extension under a user-data-dir, newest session last. */
export function extensionLogFiles(udd: string): string[] {
  return filesUnder(path.join(udd, 'logs'))
    .filter((f) => f.includes(`${path.sep}${EXTENSION_ID}${path.sep}`) && path.basename(f) === 'OneLogin MFA.log')
    .sort();
}
