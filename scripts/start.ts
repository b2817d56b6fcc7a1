/**
 * `npm start`: the extension, running, with no OneLogin tenant needed.
 * Starts the local OneLogin simulator with demo verifications, then a code-server (VS Code in the
 * browser) with this extension loaded from source and the simulator as its base URL, and prints what
 * to open and what to type. Ctrl+C stops both.
 *
 *   node out/scripts/start.js [--port N] [--sim-port N] [--simulator-only]
 *
 * --simulator-only: just the simulator (for desktop VS Code: F5 "Run Extension", then set
 * onelogin-mfa.baseUrl to the printed URL).
 */
import * as path from 'node:path';
import { ensureTestHost, HOST_DIR, ROOT, startCodeServer, type CodeServer } from './test-host/codeServer';
import { startSimulator, type Simulator } from '../test/mock-onelogin/server';
import { seedDemo } from '../test/mock-onelogin/seed';

interface StartArgs {
  port: number;
  simPort: number;
  simulatorOnly: boolean;
}

function parseArgs(argv: string[]): StartArgs {
  const number = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} needs a port number (0-65535), got ${argv[i + 1] ?? 'nothing'}`);
    return n;
  };
  return {
    port: number('--port', Number(process.env.PORT ?? 8080)),
    simPort: number('--sim-port', Number(process.env.SIM_PORT ?? 0)),
    simulatorOnly: argv.includes('--simulator-only'),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim: Simulator = await startSimulator({ port: args.simPort });
  const demo = seedDemo(sim);
  let server: CodeServer | undefined;

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await server?.stop();
    await sim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  let openUrl: string | undefined;
  if (!args.simulatorOnly) {
    console.log('Preparing VS Code (code-server; the first run installs it into .vscode-test/, a few minutes)…');
    ensureTestHost();
    server = await startCodeServer({
      label: 'start',
      port: args.port,
      idleTimeoutSeconds: 0, // the user may take a while to open the page
      userDataDir: path.join(HOST_DIR, 'start-profile'), // history and settings kept between runs
      userSettings: { 'onelogin-mfa.baseUrl': sim.url },
    });
    openUrl = server.workbenchUrl({ extensionDevelopmentPath: ROOT });
  }

  const lines = [
    '',
    'OneLogin MFA Verify is running against a local OneLogin simulator.',
    '',
    openUrl ? `  Open VS Code:        ${openUrl}` : '  Desktop VS Code:     press F5 ("Run Extension"), then set onelogin-mfa.baseUrl to the simulator URL.',
    `  Simulator (baseUrl): ${sim.url}`,
    '',
    'In VS Code, press F1 and run:',
    '  1. "OneLogin MFA: Set Access Token"         token: sim-access-token',
    '     (or "Set API Client Credentials"         id: sim-client-id  secret: sim-client-secret)',
    `  2. "OneLogin MFA: Poll Verification"        user id: ${demo.userId}`,
    `       verification ${demo.accepted}   accepted after 4 polls`,
    `       verification ${demo.rejected}   rejected after 3 polls`,
    `       verification ${demo.pending}    stays pending until it expires`,
    `     or "OneLogin MFA: Send Verification…"    user id: ${demo.userId}, pick a device (accepted after 4 polls)`,
    '  3. Watch the status bar; "OneLogin MFA: Show Panel" shows every raw request and response.',
    '',
    'Ctrl+C stops everything.',
  ];
  console.log(lines.join('\n'));
}

main().catch((e: unknown) => {
  console.error(`npm start failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
