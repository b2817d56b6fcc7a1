/**
 * Headless Chromium (Debian's, not a Playwright download) driven by playwright-core, pointed at a
 * code-server workbench. Playwright's own temp folders (profile, artifacts) go into the run folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CodeServer, WorkbenchOptions } from './codeServer';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--password-store=basic',
  '--disable-breakpad',
  '--disable-crash-reporter',
];

/** CHROMIUM, else /usr/bin/chromium; a clear error when neither exists. */
export function chromiumPath(): string {
  const candidate = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(candidate)) {
    throw new Error(
      `Chromium not found at ${candidate}. Install it with \`apt-get install -y chromium\` ` +
        '(Debian/Ubuntu), or point the CHROMIUM environment variable at a Chromium/Chrome binary.',
    );
  }
  return candidate;
}

function browserEnv(tmpDir: string): NodeJS.ProcessEnv {
  const home = path.join(tmpDir, 'home');
  for (const sub of ['', '.config', '.cache', '.local/share']) fs.mkdirSync(path.join(home, sub), { recursive: true });
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    TMPDIR: tmpDir,
  };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium with a fresh context (so SecretStorage, which lives in the browser profile,
 * starts empty) and one page. `tmpDir` receives Playwright's and Chromium's temp files and HOME; keep it
 * short (CodeServer.tmpDir): Chromium puts its SingletonSocket there, and a socket path must stay under 108.
 */
export async function launchBrowser(tmpDir: string, { viewport = { width: 1400, height: 900 } } = {}): Promise<BrowserSession> {
  fs.mkdirSync(tmpDir, { recursive: true });
  // Playwright makes its profile and artifacts folders with mkdtemp(os.tmpdir()) during launch.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmpDir;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: CHROMIUM_ARGS,
      // Chromium otherwise writes ~/.config/chromium/Crash Reports and ~/.cache/dconf.
      env: browserEnv(tmpDir),
      timeout: 60_000,
    });
  } finally {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  }
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  let closed: Promise<void> | undefined;
  return {
    browser,
    context,
    page,
    close: () => (closed ??= browser.close().catch(() => undefined)),
  };
}

/** Waits for the workbench to be up: `.monaco-workbench` plus the status bar. */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The workbench's own log lines that reach codeAutomationLog on every run and say nothing about the suite
 * (no network here: the open-vsx gallery and the GitHub auth provider fail). VSCODE_TEST_VERBOSE=1 shows them.
 */
const WORKBENCH_NOISE = new RegExp(
  [
    '^Resolv(ing|ed) connection token',
    '^Creating a socket \\(',
    '^\\[reconnection-grace-time\\]',
    '^Updating additional builtin extensions cache',
    '^\\[Service Worker\\]',
    '^\\[AgentHost:',
    '^\\[AccountPolicyGate\\]',
    '^Creation of workbench contribution',
    'ENOTFOUND open-vsx\\.org',
    "^Timed out waiting for authentication provider 'github'",
  ].join('|'),
);

export interface SuiteRun {
  /** The suite's exit code as the extension host reported it: 0 when it passed. */
  code: number;
}

/**
 * Loads the workbench with the extension under development and a test suite in the payload, and waits
 * for the extension host to report the suite's end through `codeAutomationExit`. The suite's output
 * arrives through `codeAutomationLog` and goes to `out` (process.stdout by default).
 */
export async function runSuiteInWorkbench(
  server: CodeServer,
  page: Page,
  workbench: WorkbenchOptions & { extensionTestsPath: string },
  { timeoutMs = 15 * 60_000, out = process.stdout, err = process.stderr } = {},
): Promise<SuiteRun> {
  const verbose = process.env.VSCODE_TEST_VERBOSE === '1';
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
    const parts = Array.isArray(args) ? (args as unknown[]) : [args];
    const text = typeof parts[0] === 'string' ? format(...(parts as [string, ...unknown[]])) : format('%o', ...parts);
    if (!verbose && WORKBENCH_NOISE.test(text)) return;
    (type === 'error' || type === 'warn' ? err : out).write(text.endsWith('\n') ? text : `${text}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code: unknown) => {
    resolveExit(typeof code === 'number' ? code : Number(code) || 1);
  });
  if (verbose) {
    page.on('console', (m) => err.write(`[browser ${m.type()}] ${m.text()}\n`));
  }
  let failure: ((reason: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  failed.catch(() => undefined); // handled by the race below; this only keeps an early rejection from being "unhandled"
  page.on('crash', () => failure?.(new Error('the workbench page crashed')));
  page.on('close', () => failure?.(new Error('the workbench page closed before the suite ended')));
  const serverGone = setInterval(() => {
    try {
      process.kill(server.pid, 0);
    } catch {
      failure?.(new Error('code-server exited before the suite ended'));
    }
  }, 1000);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  timedOut.catch(() => undefined);
  try {
    await page.goto(server.workbenchUrl(workbench), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const code = await Promise.race([exited, failed, timedOut]);
    return { code };
  } finally {
    clearInterval(serverGone);
    clearTimeout(timer);
    failure = undefined;
  }
}

/** Saves a full-page screenshot into test-artifacts/ (ignored) and returns its path. */
export async function screenshot(page: Page, root: string, name: string): Promise<string> {
  const dir = path.join(root, 'test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-zA-Z0-9_.-]+/g, '-').slice(0, 120)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
