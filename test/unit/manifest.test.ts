import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND } from '../../src/commands/model';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus?: unknown;
    walkthroughs?: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
  };
};
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('manifest and sources', () => {
  it('activates only on its commands (implicit) and its panel: no "*", no onStartupFinished', () => {
    assert.deepEqual(pkg.activationEvents, ['onWebviewPanel:onelogin-mfa.panel']);
  });

  it('contributes every command, each with the category and localized strings', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND).sort());
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, '%category%');
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      assert.ok(key && nls[key], `${c.command} title is localized`);
    }
    assert.equal(nls.category, 'OneLogin MFA');
  });

  it('a walkthrough takes a new user from no credentials to a watched push in three steps', () => {
    const [walkthrough] = pkg.contributes.walkthroughs ?? [];
    assert.ok(walkthrough, 'contributes.walkthroughs');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['credentials', 'send', 'watch']);
    const ids = new Set(Object.values(COMMAND));
    for (const step of walkthrough.steps) {
      const md = step.media.markdown;
      assert.ok(md && md.startsWith('media/walkthrough/'), `${step.id} media`);
      assert.ok(readFileSync(join(root, md), 'utf8').length > 100, md);
      const description = nls[/^%(.+)%$/.exec(step.description)?.[1] ?? ''];
      assert.ok(description, `${step.id} description is localized`);
      // Every command link in a step runs a command of this extension (or opens its setting).
      for (const m of description.matchAll(/\(command:([\w.-]+)/g)) assert.ok(ids.has(m[1] as never) || m[1] === 'workbench.action.openSettings', m[1]);
      for (const e of step.completionEvents ?? []) assert.ok(ids.has(e.replace(/^onCommand:/, '') as never), e);
    }
    const credentials = nls[/^%(.+)%$/.exec(walkthrough.steps[0].description)?.[1] ?? ''];
    // An installed extension has no repository: the first step offers the demo tenant, not `npm start`.
    assert.match(credentials, /\(command:onelogin-mfa\.startDemo\)/);
    assert.doesNotMatch(credentials, /npm start/);
    const page = readFileSync(join(root, 'media/walkthrough/credentials.md'), 'utf8');
    assert.match(page, /Try the Demo Tenant/);
    assert.doesNotMatch(page, /npm start/);
  });

  it('every %key% in package.json exists in package.nls.json', () => {
    const text = readFileSync(join(root, 'package.json'), 'utf8');
    for (const m of text.matchAll(/"%([^%"]+)%"/g)) assert.ok(nls[m[1]], m[1]);
  });

  it('the webview script never parses HTML or reaches the network', () => {
    const js = readFileSync(join(root, 'media', 'panel.js'), 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
    for (const banned of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'fetch(', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'sendBeacon', 'import(']) {
      assert.ok(!js.includes(banned), banned);
    }
  });

  it('no source outside secrets.ts touches SecretStorage, and nothing writes credentials to settings or globalState', () => {
    for (const file of filesUnder(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      if (!file.endsWith('secrets.ts') && !file.endsWith('extension.ts')) assert.ok(!/\bcontext\.secrets\b|\.secrets\.(store|get|delete)\(/.test(text), `${file} uses context.secrets`);
      assert.ok(!/globalState\.update\([^)]*(token|secret)/i.test(text), `${file} stores a secret in globalState`);
      assert.ok(!/getConfiguration\([^)]*\)\.update/.test(text), `${file} writes settings`);
    }
  });
});
