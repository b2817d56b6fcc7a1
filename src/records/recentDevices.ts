/**
 * The device listings of the users looked at recently (newest first, a few users): the panel shows the
 * last one, the sidebar all of them.
 * Plain Node; holds ids and labels only.
 */
import { Emitter, type IDisposable } from '../util/lifecycle';
import type { DevicesView } from '../verification/devices';

/** Users whose listings are kept (the sidebar shows as many). */
export const MAX_DEVICE_USERS = 5;

export class RecentDevices implements IDisposable {
  private list: DevicesView[] = [];
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;

  /** The last listing (what the panel shows). */
  get value(): DevicesView | undefined {
    return this.list[0];
  }

  /** Records a listing: its user moves to the front. */
  record(view: DevicesView): void {
    this.list = [view, ...this.list.filter((v) => v.userId !== view.userId)].slice(0, MAX_DEVICE_USERS);
    this.changed.fire();
  }

  /** Newest first. */
  all(): readonly DevicesView[] {
    return this.list;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
