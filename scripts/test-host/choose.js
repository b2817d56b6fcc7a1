// @ts-check
/**
 * Which VS Code runs the integration tests:
 *   - 'desktop': @vscode/test-electron downloads desktop VS Code (needs the download host and a display);
 *   - 'code-server': scripts/test-host/code-server-host.js (npm's code-server + Debian's Chromium).
 * VSCODE_TEST_HOST=desktop|code-server forces one. Otherwise: code-server on a Linux without a display;
 * elsewhere desktop when the VS Code update server answers within 3 s, else code-server.
 * Shared by scripts/test-host/run-integration.js and .vscode-test.mjs.
 */
'use strict';
const https = require('node:https');
const path = require('node:path');

const CODE_SERVER_HOST = path.join(__dirname, 'code-server-host.js');

/** @returns {Promise<boolean>} */
function updateServerReachable(timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = https.request('https://update.code.visualstudio.com/api/releases/stable', { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** @returns {Promise<'desktop' | 'code-server'>} */
async function chooseHost() {
  const forced = process.env.VSCODE_TEST_HOST;
  if (forced === 'desktop' || forced === 'code-server') return forced;
  if (forced) throw new Error(`VSCODE_TEST_HOST must be desktop or code-server, not ${forced}`);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'code-server';
  return (await updateServerReachable()) ? 'desktop' : 'code-server';
}

module.exports = { chooseHost, CODE_SERVER_HOST };
