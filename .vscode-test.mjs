// @vscode/test-cli configuration (`npx vscode-test`, and the Extension Test Runner in VS Code).
// Runs the compiled integration tests (out/test/integration/**/*.test.js) inside a real VS Code:
//   - desktop VS Code (downloaded by @vscode/test-electron) where it can be downloaded and shown;
//   - otherwise code-server + headless Chromium through scripts/test-host/code-server-host.js, a small
//     executable that accepts the desktop flags (see scripts/test-host/choose.js; VSCODE_TEST_HOST forces one).
// Compile first (npm run build && tsc -p .). `npm run test:integration` runs the same files through
// scripts/test-host/run-integration.js and test/integration/index.ts.
import { defineConfig } from '@vscode/test-cli';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chooseHost, CODE_SERVER_HOST } = require('./scripts/test-host/choose.js');

const host = await chooseHost();
// The test CAs of test/integration/network.test.ts, made before VS Code starts (NODE_EXTRA_CA_CERTS is read
// at process start): see scripts/test-host/networkTrust.ts. Needs the compiled out/ folder, like the tests.
let networkEnv = {};
try {
  const { prepareNetworkTrust } = require('./out/scripts/test-host/networkTrust.js');
  networkEnv = prepareNetworkTrust(new URL('./.vscode-test/pki-vscode-test', import.meta.url).pathname);
} catch (e) {
  console.warn(`[vscode-test] no test CAs (${e instanceof Error ? e.message : String(e)}): the network tests will fail; compile first (tsc -p .)`);
}

export default defineConfig({
  tests: [
    {
      label: 'integration',
      files: 'out/test/integration/**/*.test.js',
      mocha: { ui: 'bdd', timeout: 20_000, color: false },
      launchArgs: ['--disable-extensions'],
      env: networkEnv,
      ...(host === 'code-server' ? { useInstallation: { fromPath: CODE_SERVER_HOST } } : { version: 'stable' }),
    },
  ],
});
