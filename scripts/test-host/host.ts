/**
 * The body of scripts/test-host/code-server-host.js: a stand-in for the desktop VS Code executable that
 * `@vscode/test-electron`'s runTests({ vscodeExecutablePath }) and `@vscode/test-cli`'s
 * useInstallation: { fromPath } spawn. It accepts the desktop flags, runs the suite in a throwaway
 * code-server's extension host through headless Chromium, and exits with the suite's code.
 *
 * Understood: --extensionDevelopmentPath=<path> (repeatable), --extensionTestsPath=<path>,
 * --user-data-dir=<path>, --extensions-dir=<path>, a folder or .code-workspace argument, and --help /
 * --version. Every other flag (--no-sandbox, --disable-extensions, --skip-welcome, ...) is ignored.
 * Environment: VSCODE_TEST_TIMEOUT (seconds, default 900), VSCODE_TEST_VERBOSE=1 (server and browser
 * logs), VSCODE_TEST_KEEP_RUN=1 (keep .vscode-test/runs/<run>), CHROMIUM (browser binary).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, runSuiteInWorkbench, screenshot, type BrowserSession } from './browser';
import { ensureTestHost, startCodeServer, ROOT, VERSIONS, type CodeServer } from './codeServer';

export interface DesktopArgs {
  extensionDevelopmentPath: string[];
  extensionTestsPath?: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
  ignored: string[];
  help: boolean;
  version: boolean;
}

const VALUE_FLAGS: Record<string, keyof DesktopArgs> = {
  '--extensionDevelopmentPath': 'extensionDevelopmentPath',
  '--extensionTestsPath': 'extensionTestsPath',
  '--user-data-dir': 'userDataDir',
  '--extensions-dir': 'extensionsDir',
};

/** Parses the desktop command line (`--flag=value` or `--flag value` for the flags above). */
export function parseDesktopArgs(argv: readonly string[]): DesktopArgs {
  const out: DesktopArgs = { extensionDevelopmentPath: [], ignored: [], help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (arg === '--version' || arg === '-v') {
      out.version = true;
      continue;
    }
    if (arg.startsWith('-')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const key = VALUE_FLAGS[name];
      if (!key) {
        out.ignored.push(arg);
        continue;
      }
      const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new Error(`${name} needs a value`);
      const abs = path.resolve(value);
      if (key === 'extensionDevelopmentPath') out.extensionDevelopmentPath.push(abs);
      else if (key === 'extensionTestsPath') out.extensionTestsPath = abs;
      else if (key === 'userDataDir') out.userDataDir = abs;
      else if (key === 'extensionsDir') out.extensionsDir = abs;
      continue;
    }
    // A positional argument: the folder (or workspace file) to open; the last one wins, as in VS Code.
    out.folder = path.resolve(arg);
  }
  return out;
}

const USAGE = `code-server-host: runs VS Code extension tests in code-server ${VERSIONS.codeServer} + headless Chromium.
Usage: code-server-host.js --extensionDevelopmentPath=<dir> --extensionTestsPath=<suite index> [--user-data-dir=<dir>] [--extensions-dir=<dir>] [folder]
Used as vscodeExecutablePath by @vscode/test-electron, or useInstallation.fromPath by @vscode/test-cli.`;

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseDesktopArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.version) {
    console.log(`1.139.1\ncode-server ${VERSIONS.codeServer}`);
    return 0;
  }
  if (!args.extensionTestsPath) {
    console.error(`${USAGE}\n\n--extensionTestsPath is required: this host only runs test suites.`);
    return 2;
  }
  if (args.folder && !fs.existsSync(args.folder)) {
    console.error(`[code-server-host] the folder to open does not exist: ${args.folder}`);
    return 2;
  }
  const timeoutMs = Number(process.env.VSCODE_TEST_TIMEOUT || 900) * 1000;
  const started = Date.now();
  ensureTestHost();

  let server: CodeServer | undefined;
  let session: BrowserSession | undefined;
  let code: number;
  let crashed = false;
  try {
    server = await startCodeServer({
      label: 'integration',
      userDataDir: args.userDataDir,
      extensionsDir: args.extensionsDir,
      // The runner's environment (VSCODE_TEST_OPTIONS from test-cli, extensionTestsEnv) reaches the
      // extension host through the server's environment (inherited; measured with test-cli).
    });
    session = await launchBrowser(server.tmpDir);
    console.log(`[code-server-host] code-server ${VERSIONS.codeServer} on ${server.origin}, running ${path.relative(ROOT, args.extensionTestsPath) || args.extensionTestsPath}`);
    const run = await runSuiteInWorkbench(
      server,
      session.page,
      {
        folder: args.folder,
        extensionDevelopmentPath: args.extensionDevelopmentPath,
        extensionTestsPath: args.extensionTestsPath,
      },
      { timeoutMs },
    );
    code = run.code;
  } catch (e) {
    console.error(`[code-server-host] ${e instanceof Error ? e.message : String(e)}`);
    if (session) {
      const shot = await screenshot(session.page, ROOT, `integration-host-failure-${Date.now()}`).catch(() => undefined);
      if (shot) console.error(`[code-server-host] screenshot: ${path.relative(ROOT, shot)}`);
    }
    code = 1;
    crashed = true;
  } finally {
    await session?.close();
    await server?.stop();
  }
  if (crashed && server) {
    // After stop: the log has been copied to .vscode-test/logs/integration.log.
    console.error(`[code-server-host] server log: ${path.relative(ROOT, server.logFile)} (last lines:)\n${server.logTail(30)}`);
  }
  console.log(`[code-server-host] suite exited with ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return code;
}
