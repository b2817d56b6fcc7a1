/**
 * The demo tenant's server of this window, if any; closed with the window. The simulator is its own bundle
 * (dist/demo.js), required on the first start: nothing of it loads or listens before.
 */
import * as path from 'node:path';
import type { DemoServer } from './index';

type DemoModule = typeof import('./index');

/** The running demo server of this window, if any; closed with the window. */
export class DemoSession {
  private starting: Promise<DemoServer> | undefined;
  private server: DemoServer | undefined;

  /** `distDir`: where dist/demo.js is (the extension's own dist/). */
  constructor(private readonly distDir: string) {}

  get running(): DemoServer | undefined {
    return this.server;
  }

  /** Starts the server, or returns the one running (one per window). */
  start(): Promise<DemoServer> {
    this.starting ??= (async () => {
      // A computed path, so esbuild leaves it to run time: the demo bundle loads only now.
      const modulePath = path.join(this.distDir, 'demo.js');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const demo = require(modulePath) as DemoModule;
      this.server = await demo.startDemoServer();
      return this.server;
    })().catch((e: unknown) => {
      this.starting = undefined;
      throw e;
    });
    return this.starting;
  }

  async stop(): Promise<boolean> {
    const server = this.server ?? (await this.starting?.catch(() => undefined));
    this.server = undefined;
    this.starting = undefined;
    if (!server) return false;
    await server.close();
    return true;
  }

  dispose(): void {
    void this.stop().catch(() => undefined);
  }
}
