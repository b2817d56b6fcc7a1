#!/usr/bin/env node
// A stand-in for the desktop VS Code executable: give its path to @vscode/test-electron's
// runTests({ vscodeExecutablePath }) or to @vscode/test-cli's useInstallation: { fromPath }.
// It runs the suite in a throwaway code-server + headless Chromium and exits with the suite's code.
// The logic is TypeScript (scripts/test-host/host.ts), compiled by `tsc -p .` into out/.
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', '..', 'out', 'scripts', 'test-host', 'host.js');
if (!fs.existsSync(compiled)) {
  console.error(`[code-server-host] ${compiled} is missing: compile first (npx tsc -p .).`);
  process.exit(2);
}
require(compiled)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (e) => {
      console.error('[code-server-host]', e);
      process.exit(1);
    },
  );
