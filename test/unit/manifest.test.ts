import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SIDEBAR_COMMAND, VIEW_ID } from '../../src/sidebar/ids';
import { PANEL_COMMAND } from '../../src/panel/commandIds';
import { COMMAND } from '../../src/commandIds';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus?: Record<string, { command: string; when?: string; group?: string }[]>;
    viewsContainers?: { activitybar?: { id: string; title: string; icon: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    viewsWelcome?: { view: string; contents: string; when?: string }[];
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
    assert.deepEqual(contributed, [...Object.values(COMMAND), ...Object.values(SIDEBAR_COMMAND), ...Object.values(PANEL_COMMAND)].sort());
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

  it('the webview scripts never parse HTML or reach the network', () => {
    const js = ['panel.js', 'jsonView.js'].map((f) => readFileSync(join(root, 'dist', 'webview', f), 'utf8')).join('\n').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
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

  it('the sidebar: an Activity Bar container with the verifications view, welcome content and item menus', () => {
    const c = pkg.contributes;
    const [container] = c.viewsContainers?.activitybar ?? [];
    assert.ok(container && container.icon === 'media/sidebar.svg' && nls[/^%(.+)%$/.exec(container.title)?.[1] ?? ''] === 'OneLogin MFA');
    assert.deepEqual((c.views?.[container.id] ?? []).map((v) => v.id), [VIEW_ID]);
    const ids = new Set<string>([...Object.values(COMMAND), ...Object.values(SIDEBAR_COMMAND)]);
    const welcome = c.viewsWelcome ?? [];
    assert.deepEqual(welcome.map((w) => w.when), ['!onelogin-mfa.hasCredentials', 'onelogin-mfa.hasCredentials']);
    const links = welcome.map((w) => [...nls[/^%(.+)%$/.exec(w.contents)?.[1] ?? ''].matchAll(/\(command:([\w.-]+)\)/g)].map((m) => m[1]));
    assert.deepEqual(links, [
      [COMMAND.setAccessToken, COMMAND.setClientCredentials, COMMAND.startDemo],
      [COMMAND.triggerVerification, COMMAND.checkVerification],
    ]);
    for (const l of links.flat()) assert.ok(ids.has(l), l);
    const items = c.menus?.['view/item/context'] ?? [];
    for (const m of [...items, ...(c.menus?.['view/title'] ?? [])]) {
      assert.ok(ids.has(m.command), m.command);
      assert.match(m.when ?? '', new RegExp(`view == ${VIEW_ID.replace('.', '\\.')}`), m.command);
    }
    // Every sidebar action has an inline or context entry, and none is offered in the palette (it needs a row).
    const inMenus = new Set(items.map((m) => m.command));
    const hidden = new Set((c.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
    for (const id of Object.values(SIDEBAR_COMMAND)) {
      assert.ok(inMenus.has(id), `${id} in view/item/context`);
      assert.ok(hidden.has(id), `${id} hidden from the palette`);
    }
    const inline = items.filter((m) => m.group?.startsWith('inline')).map((m) => m.command);
    for (const id of [SIDEBAR_COMMAND.recheck, SIDEBAR_COMMAND.poll, SIDEBAR_COMMAND.stop, SIDEBAR_COMMAND.enterOtp, SIDEBAR_COMMAND.sendVerification]) assert.ok(inline.includes(id), `${id} inline`);
  });

  it('marketplace-ready: l10n bundle, prepublish build, links, preview, categories; the package keeps l10n/ and media/', () => {
    const m = pkg as unknown as Record<string, unknown> & { scripts: Record<string, string>; categories: string[]; bugs?: { url?: string } };
    assert.equal(m.l10n, './l10n');
    const bundle = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    for (const s of ['Live', 'Recent', 'Devices', 'Raw', 'Pretty', 'OneLogin MFA: copied {0}']) assert.equal(bundle[s], s, s);
    // The vscode-free sidebar model gets its strings through `t`, which l10n-dev cannot see: tree.ts lists
    // them as literal vscode.l10n.t calls, and here every string the model uses must be in the bundle.
    const modelStrings = [...readFileSync(join(root, 'src', 'sidebar', 'model.ts'), 'utf8').matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)].map((x) => x[1]);
    assert.ok(modelStrings.length > 20);
    assert.deepEqual(modelStrings.filter((x) => !(x in bundle)), [], 'sidebar strings missing from the bundle (add them to sidebarStrings() in tree.ts)');
    assert.match(m.scripts['vscode:prepublish'], /build:prod/);
    assert.match(m.scripts.l10n, /^vscode-l10n-dev export --outDir \.\/l10n \.\/src$/);
    assert.match(m.scripts.test, /l10n:check/);
    assert.match(m.bugs?.url ?? '', /^https:\/\/github\.com\/.+\/issues$/);
    assert.match(String(m.homepage), /^https:\/\//);
    assert.equal(m.preview, true);
    assert.ok(m.categories.includes('Testing'), m.categories.join());
    const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
    for (const keep of ['!l10n/**', '!media/**', '!package.nls.json']) assert.ok(ignore.includes(keep), keep);
    assert.match(readFileSync(join(root, 'README.md'), 'utf8'), /## Telemetry\n+No telemetry/);
  });

  it('editor-title buttons while the panel is the active editor: Re-check all, Stop all, Export, Copy as cURL', () => {
    const items = pkg.contributes.menus?.['editor/title'] ?? [];
    assert.deepEqual(items.map((m) => m.command), [PANEL_COMMAND.recheckAll, COMMAND.stopPolling, COMMAND.exportLog, PANEL_COMMAND.copyCurl]);
    for (const m of items) {
      assert.match(m.when ?? '', /^activeWebviewPanelId == 'onelogin-mfa\.panel'/);
      assert.match(m.group ?? '', /^navigation/);
      const c = pkg.contributes.commands.find((x) => x.command === m.command) as { icon?: string } | undefined;
      assert.match(c?.icon ?? '', /^\$\([a-z-]+\)$/, `${m.command} has an icon (its title is the button's accessible label)`);
    }
  });
});
