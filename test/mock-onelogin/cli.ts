// Runs the simulator as a process: `node out/test/mock-onelogin/cli.js [--port N] [--demo] [--json] [--quiet]`.
// Used by `npm start` (through demo.js), by end-to-end tests (--json: the first stdout line is machine-readable),
// and by hand. Stops cleanly on SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import { seedDemo, type DemoSeed } from './seed';
import { startSimulator, type Simulator } from './server';

export { seedDemo, type DemoSeed } from './seed';

const CLIENT_ID = 'sim-client-id';
const CLIENT_SECRET = 'sim-client-secret';
const ACCESS_TOKEN = 'sim-access-token';

const USAGE = `usage: cli.js [--port N] [--demo] [--json] [--quiet]
  --port N   listen on 127.0.0.1:N (default 0: any free port)
  --demo     seed user 1001 with verifications that accept, reject, and stay pending
  --json     print the startup summary as one JSON line
  --quiet    do not log requests`;

export interface CliOptions {
  port: number;
  demo: boolean;
  json: boolean;
  quiet: boolean;
}

function parseFlags(args: string[]) {
  return parseArgs({
    args,
    options: { port: { type: 'string' }, demo: { type: 'boolean' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } },
    strict: true,
  }).values;
}

/** Throws with the usage text on bad arguments. */
export function parseCliArgs(args: string[]): CliOptions {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(args);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, { cause: e });
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535\n${USAGE}`);
  return { port, demo: values.demo ?? false, json: values.json ?? false, quiet: values.quiet ?? false };
}

function summary(sim: Simulator, demo: DemoSeed | undefined, json: boolean): string {
  const info = { url: sim.url, port: sim.port, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accessToken: ACCESS_TOKEN, demo };
  if (json) return JSON.stringify(info);
  const lines = [
    `OneLogin API simulator listening on ${sim.url}`,
    `  client id:     ${CLIENT_ID}`,
    `  client secret: ${CLIENT_SECRET}`,
    `  access token:  ${ACCESS_TOKEN}`,
  ];
  if (demo) {
    lines.push(
      `demo user ${demo.userId}:`,
      `  ${demo.accepted}   accepted on the 4th status poll`,
      `  ${demo.rejected}   rejected on the 3rd status poll`,
      `  ${demo.pending}    stays pending`,
      '  verifications triggered with POST are accepted on their 4th poll',
    );
  }
  lines.push('Ctrl+C stops it.');
  return lines.join('\n');
}

/** Starts the simulator as the CLI does and wires SIGINT/SIGTERM to a clean stop. */
export async function runCli(args: string[], write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<Simulator> {
  const opts = parseCliArgs(args);
  const sim = await startSimulator({
    port: opts.port,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    accessTokens: [ACCESS_TOKEN],
    log: opts.quiet ? undefined : write,
  });
  const demo = opts.demo ? seedDemo(sim) : undefined;
  write(summary(sim, demo, opts.json));
  const stop = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    sim.close().then(
      () => {
        if (!opts.json) write(`stopped (${signal})`);
      },
      (e: unknown) => {
        process.stderr.write(`simulator: close failed: ${String(e)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return sim;
}

export function main(args: string[]): void {
  runCli(args).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  });
}

if (require.main === module) main(process.argv.slice(2));
