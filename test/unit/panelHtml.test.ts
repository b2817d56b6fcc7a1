import { strict as assert } from 'node:assert';
import { contentSecurityPolicy, createNonce, escapeHtml, panelHtml } from '../../src/panel/html';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const base = {
  cspSource: CSP_SOURCE,
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/panel.js',
  jsonScriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/jsonView.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
  title: 'OneLogin MFA',
};

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'no CSP meta');
  return m[1].replace(/&#39;/g, "'");
}

describe('panel HTML', () => {
  it('nonces are fresh and long', () => {
    const seen = new Set(Array.from({ length: 200 }, () => createNonce()));
    assert.equal(seen.size, 200);
    for (const n of seen) assert.match(n, /^[0-9a-f]{32}$/);
  });

  it('CSP is exactly the strict policy: nothing by default, scripts by nonce only, no connect-src', () => {
    const nonce = createNonce();
    const html = panelHtml({ ...base, nonce });
    const csp = cspOf(html);
    assert.equal(csp, `default-src 'none'; style-src ${CSP_SOURCE}; script-src 'nonce-${nonce}'; img-src ${CSP_SOURCE}`);
    assert.equal(csp, contentSecurityPolicy(CSP_SOURCE, nonce));
    assert.ok(!/connect-src|unsafe-inline|unsafe-eval|\*\s*;|https:\s*;/.test(csp));
  });

  it('every script tag carries the nonce, and there is no inline script or handler', () => {
    const nonce = createNonce();
    const html = panelHtml({ ...base, nonce });
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 2, 'jsonView.js, then panel.js');
    for (const s of scripts) {
      assert.ok(s.includes(`nonce="${nonce}"`));
      assert.ok(s.includes('src="https://'));
    }
    assert.ok(scripts[0].includes('jsonView.js') && scripts[1].includes('panel.js'));
    assert.ok(/<script[^>]*><\/script>/.test(html), 'the script tag has no inline body');
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handler');
    assert.ok(!/<form/i.test(html));
  });

  it('has the containers the script fills: gauge, devices and factors, history', () => {
    const html = panelHtml({ ...base, nonce: createNonce() });
    for (const marker of ['class="rate-limit-gauge"', 'id="factors" class="factors"', 'id="history" class="history"', 'id="verifications"']) assert.ok(html.includes(marker), marker);
  });

  it('a new render has a new nonce', () => {
    const a = cspOf(panelHtml({ ...base, nonce: createNonce() }));
    const b = cspOf(panelHtml({ ...base, nonce: createNonce() }));
    assert.notEqual(a, b);
  });

  it('refuses a nonce or CSP source that could inject directives', () => {
    assert.throws(() => panelHtml({ ...base, nonce: "abc'; script-src *" }));
    assert.throws(() => panelHtml({ ...base, nonce: createNonce(), cspSource: "https://x; script-src 'unsafe-inline'" }));
  });

  it('escapes localized strings and the title', () => {
    const html = panelHtml({ ...base, nonce: createNonce(), title: '<b>x</b>', strings: { empty: '"><script>alert(1)</script>' } });
    assert.ok(!html.includes('<script>alert(1)'));
    assert.ok(!html.includes('<b>x</b>'));
    assert.ok(html.includes('&lt;b&gt;x&lt;/b&gt;'));
    assert.equal(escapeHtml(`<>&"'`), '&lt;&gt;&amp;&quot;&#39;');
  });
});
