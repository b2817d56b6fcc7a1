/** What the extension's manifest says the user should see, resolved through package.nls.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './harness';

interface ManifestCommand {
  command: string;
  title: string;
  category?: string;
}
interface Manifest {
  contributes?: {
    commands?: ManifestCommand[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const nlsFile = path.join(ROOT, 'package.nls.json');
const nls: Record<string, string> = fs.existsSync(nlsFile) ? (JSON.parse(fs.readFileSync(nlsFile, 'utf8')) as Record<string, string>) : {};

function localize(value: string): string {
  const m = /^%(.+)%$/.exec(value);
  return m ? (nls[m[1]] ?? value) : value;
}

/** "Category: Title" of every contributed command, keyed by command id. */
export function commandTitles(): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of manifest.contributes?.commands ?? []) {
    out.set(c.command, c.category ? `${localize(c.category)}: ${localize(c.title)}` : localize(c.title));
  }
  return out;
}

/** The palette title of one command, e.g. commandTitle('onelogin-mfa.checkVerification'). */
export function commandTitle(id: string): string {
  const t = commandTitles().get(id);
  if (!t) throw new Error(`the manifest contributes no command ${id}`);
  return t;
}

/** Commands the palette shows without a context: those with no `when` in menus.commandPalette. */
export function paletteCommandTitles(): string[] {
  const hidden = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when).map((m) => m.command));
  return [...commandTitles()].filter(([id]) => !hidden.has(id)).map(([, title]) => title);
}
