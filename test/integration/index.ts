/**
 * Entry point of the integration suite, loaded inside a real VS Code extension host (desktop VS Code,
 * or code-server through scripts/test-host/code-server-host.js). Runs every compiled
 * `out/test/integration/**\/*.test.js` with mocha (BDD: describe/it). Adding a `*.test.ts` file next to
 * this one is enough to add tests.
 *
 * MOCHA_GREP=<text> runs only the tests whose full title contains the text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 20_000,
    color: false,
    reporter: 'spec',
    ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}),
  });
  const files = findTests(__dirname);
  if (files.length === 0) throw new Error(`no *.test.js under ${__dirname}: compile first (tsc -p .)`);
  for (const file of files) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
}
