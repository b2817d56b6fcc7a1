/**
 * The device listings of the users looked at recently (newest first, a few users): the panel shows the
 * last one, the sidebar all of them.
 * It stands in for the `{ value?: DevicesView }` slot the commands already write the last listing to
 * (Services.devices), so List Devices needs no change: setting `value` records the listing here too.
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

  set value(view: DevicesView | undefined) {
    if (!view) return;
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
