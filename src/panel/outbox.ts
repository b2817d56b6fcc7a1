/**
 * The updates owed to the panel's webview between two posts. An update that supersedes an earlier one
 * replaces it (the newest state of a verification, the latest gauge, history or device listing);
 * exchanges are appends, so each one is kept, in order. What is owed goes as one message: alone, or
 * as a batch. Plain data, no `vscode`: unit-tested in plain Node.
 */
import type { HostMessage, UpdateMessage } from './messages';

/** Whether `later` makes `earlier` pointless to send. */
function supersedes(later: UpdateMessage, earlier: UpdateMessage): boolean {
  if (later.type !== earlier.type) return false;
  switch (later.type) {
    case 'entry':
      return earlier.type === 'entry' && earlier.entry.key === later.entry.key;
    case 'exchange':
      return false;
    default:
      return true;
  }
}

export class Outbox {
  private queue: UpdateMessage[] = [];

  get size(): number {
    return this.queue.length;
  }

  add(message: UpdateMessage): void {
    this.queue = this.queue.filter((m) => !supersedes(message, m));
    this.queue.push(message);
  }

  /** Everything owed as one message (undefined when nothing is), and an empty outbox. */
  take(hostNow: number): HostMessage | undefined {
    const messages = this.queue;
    this.queue = [];
    if (messages.length <= 1) return messages[0];
    return { type: 'batch', hostNow, messages };
  }

  clear(): void {
    this.queue = [];
  }
}
