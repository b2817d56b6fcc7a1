/**
 * Just enough of the `vscode` API, in plain Node, to load the production bundle and run its activate():
 * every call made at activation returns a plain object, a resolved promise or a disposable. Nothing
 * here does I/O. Property reads the stub does not know are recorded in `missing` (so a benchmark can say
 * when the stub fell short) and return undefined.
 */
import Module from 'node:module';
import { formatMessage } from '../../src/util/l10n';

type Fn = (...args: unknown[]) => unknown;
interface Disposable {
  dispose(): void;
}

const disposable = (fn: () => void = () => undefined): Disposable => ({ dispose: fn });

class StubUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string; query?: string }): StubUri {
    return new StubUri(change.scheme ?? this.scheme, change.path ?? this.path, change.query ?? this.query);
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
  static file(p: string): StubUri {
    return new StubUri('file', p);
  }
  static parse(s: string): StubUri {
    const m = /^([a-z][a-z0-9+.-]*):(?:\/\/)?([^?]*)(?:\?(.*))?$/i.exec(s);
    return m ? new StubUri(m[1], m[2], m[3] ?? '') : new StubUri('file', s);
  }
  static from(c: { scheme: string; path?: string; query?: string }): StubUri {
    return new StubUri(c.scheme, c.path ?? '', c.query ?? '');
  }
  static joinPath(base: StubUri, ...parts: string[]): StubUri {
    return base.with({ path: [base.path, ...parts].join('/').replace(/\/+/g, '/') });
  }
}

class StubEventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = (l: (e: T) => unknown): Disposable => {
    this.listeners.add(l);
    return disposable(() => this.listeners.delete(l));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class StubDisposable {
  constructor(private readonly fn: () => void) {}
  dispose(): void {
    this.fn();
  }
  static from(...ds: Disposable[]): StubDisposable {
    return new StubDisposable(() => ds.forEach((d) => d.dispose()));
  }
}

export interface StubOptions {
  /** Values of `onelogin-mfa.*` settings (`baseUrl`, `pollInterval`, ...). */
  settings?: Record<string, unknown>;
}

export interface VscodeStub {
  api: Record<string, unknown>;
  commands: Map<string, Fn>;
  missing: Set<string>;
  /** An ExtensionContext for `root` (the extension folder). */
  context(root: string, mode?: number): Record<string, unknown> & { subscriptions: Disposable[] };
}

/** Records reads of unknown properties. */
function tracked<T extends object>(name: string, target: T, missing: Set<string>): T {
  return new Proxy(target, {
    get(t, p, r) {
      if (typeof p === 'string' && !(p in t) && !['then', 'toJSON', '__esModule', 'default'].includes(p)) missing.add(`${name}.${p}`);
      return Reflect.get(t, p, r) as unknown;
    },
  });
}

export function createVscodeStub(opts: StubOptions = {}): VscodeStub {
  const missing = new Set<string>();
  const commands = new Map<string, Fn>();
  const settings = opts.settings ?? {};
  const resolved = <T>(v?: T): Promise<T | undefined> => Promise.resolve(v);
  const outputChannel = (name: string): Record<string, unknown> =>
    tracked(
      'OutputChannel',
      { name, logLevel: 2, onDidChangeLogLevel: () => disposable(), trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, append: () => undefined, appendLine: () => undefined, replace: () => undefined, clear: () => undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined },
      missing,
    );
  const statusBarItem = (id: string): Record<string, unknown> =>
    tracked('StatusBarItem', { id, alignment: 1, priority: 100, name: '', text: '', tooltip: '', command: undefined, backgroundColor: undefined, color: undefined, accessibilityInformation: undefined, show: () => undefined, hide: () => undefined, dispose: () => undefined }, missing);

  const api: Record<string, unknown> = {
    version: '1.100.0',
    Uri: StubUri,
    EventEmitter: StubEventEmitter,
    Disposable: StubDisposable,
    ThemeColor: class ThemeColor {
      constructor(readonly id: string) {}
    },
    ThemeIcon: class ThemeIcon {
      constructor(
        readonly id: string,
        readonly color?: unknown,
      ) {}
    },
    TreeItem: class TreeItem {
      constructor(
        readonly label: string,
        readonly collapsibleState?: number,
      ) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    l10n: tracked('l10n', { t: (message: unknown, ...args: unknown[]) => (typeof message === 'string' ? formatMessage(message, ...(args as string[])) : String((message as { message?: string }).message ?? '')), bundle: undefined, uri: undefined }, missing),
    env: tracked('env', { language: 'en', appName: 'bench', uiKind: 1, clipboard: { writeText: () => resolved(), readText: () => resolved('') }, openExternal: () => resolved(true) }, missing),
    window: tracked(
      'window',
      {
        createOutputChannel: (name: string) => outputChannel(name),
        createStatusBarItem: (id: string) => statusBarItem(id),
        registerWebviewPanelSerializer: () => disposable(),
        createTreeView: (id: string) =>
          tracked('TreeView', { id, visible: false, selection: [], message: undefined, title: undefined, description: undefined, badge: undefined, onDidChangeVisibility: () => disposable(), onDidChangeSelection: () => disposable(), onDidExpandElement: () => disposable(), onDidCollapseElement: () => disposable(), reveal: () => resolved(), dispose: () => undefined }, missing),
        showInformationMessage: () => resolved(),
        showWarningMessage: () => resolved(),
        showErrorMessage: () => resolved(),
        showInputBox: () => resolved(),
        showQuickPick: () => resolved(),
        setStatusBarMessage: () => disposable(),
        withProgress: (_o: unknown, task: (p: unknown, t: unknown) => Promise<unknown>) =>
          task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: () => disposable() }),
        activeTextEditor: undefined,
        state: { focused: true, active: true },
        onDidChangeWindowState: () => disposable(),
      },
      missing,
    ),
    workspace: tracked(
      'workspace',
      {
        getConfiguration: () =>
          tracked('WorkspaceConfiguration', { get: (name: string, def?: unknown) => (name in settings ? settings[name] : def), has: (name: string) => name in settings, inspect: (name: string) => (name in settings ? { key: name, globalValue: settings[name] } : undefined), update: () => resolved() }, missing),
        onDidChangeConfiguration: () => disposable(),
        registerTextDocumentContentProvider: () => disposable(),
        workspaceFolders: undefined,
        isTrusted: true,
      },
      missing,
    ),
    commands: tracked(
      'commands',
      {
        registerCommand: (id: string, fn: Fn) => {
          if (commands.has(id)) throw new Error(`command '${id}' already exists`);
          commands.set(id, fn);
          return disposable(() => commands.delete(id));
        },
        executeCommand: (id: string, ...args: unknown[]) => {
          const fn = commands.get(id);
          return Promise.resolve(fn ? fn(...args) : undefined);
        },
      },
      missing,
    ),
    extensions: tracked('extensions', { getExtension: () => undefined }, missing),
  };

  const context = (root: string, mode = 1): Record<string, unknown> & { subscriptions: Disposable[] } => {
    const secretData = new Map<string, string>();
    const secretEvents = new StubEventEmitter<{ key: string }>();
    const state = (): Record<string, unknown> => {
      const data = new Map<string, unknown>();
      return {
        get: (k: string, d?: unknown) => (data.has(k) ? data.get(k) : d),
        update: (k: string, v: unknown) => {
          data.set(k, v);
          return resolved();
        },
        keys: () => [...data.keys()],
        setKeysForSync: () => undefined,
      };
    };
    const uri = StubUri.file(root);
    return tracked(
      'ExtensionContext',
      {
        subscriptions: [] as Disposable[],
        extensionUri: uri,
        extensionPath: root,
        extensionMode: mode,
        globalState: state(),
        workspaceState: state(),
        secrets: {
          get: (k: string) => resolved(secretData.get(k)),
          store: (k: string, v: string) => {
            secretData.set(k, v);
            secretEvents.fire({ key: k });
            return resolved();
          },
          delete: (k: string) => {
            secretData.delete(k);
            secretEvents.fire({ key: k });
            return resolved();
          },
          onDidChange: secretEvents.event,
        },
        storageUri: undefined,
        globalStorageUri: StubUri.file(`${root}/.globalStorage`),
        logUri: StubUri.file(`${root}/.log`),
        asAbsolutePath: (p: string) => `${root}/${p}`,
        extension: { id: 'onelogin-mfa-tools.onelogin-mfa-verify', extensionUri: uri, extensionPath: root, packageJSON: {} },
      },
      missing,
    ) as Record<string, unknown> & { subscriptions: Disposable[] };
  };

  return { api: tracked('vscode', api, missing), commands, missing, context };
}

/** Makes `require('vscode')` return the stub in this process (the bundle keeps `vscode` external). */
export function installVscodeStub(stub: VscodeStub): void {
  const M = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const original = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean): unknown {
    if (request === 'vscode') return stub.api;
    return original.call(this, request, parent, isMain);
  };
}
