import { Worker } from 'node:worker_threads';
import type { Storage } from './types.js';

/** What the heartbeat thread is told: start or stop beating for one trial of the storage at `url`. */
export type HeartbeatMessage = { op: 'start'; url: string; trialId: number; intervalMs: number } | { op: 'stop'; url: string; trialId: number };

/**
 * Heartbeats of running trials. For a storage other processes can open (an
 * SQLite file, PostgreSQL) they are written from one worker thread per
 * process, over its own connection, so an objective that blocks the event
 * loop (a long synchronous computation) cannot stop its own trial's
 * heartbeat. A storage of this process only (memory) beats from a timer:
 * nothing outside the process can reap its trials anyway.
 */
class Heartbeats {
  private thread: Worker | undefined;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  private post(message: HeartbeatMessage): void {
    if (this.thread === undefined) {
      this.thread = new Worker(new URL('./heartbeat_worker.js', import.meta.url));
      // The thread never keeps the process alive, and a failure of it stops only the beats.
      this.thread.unref();
      this.thread.on('error', () => {
        this.thread = undefined;
      });
    }
    this.thread.postMessage(message);
  }

  /** Beats for `trialId` every `intervalMs` until {@link stop}. */
  start(storage: Storage, trialId: number, intervalMs: number): void {
    if (storage.url !== undefined) {
      this.post({ op: 'start', url: storage.url, trialId, intervalMs });
      return;
    }
    const timer = setInterval(() => {
      storage.heartbeat(trialId).catch(() => {});
    }, intervalMs);
    timer.unref();
    this.timers.set(trialId, timer);
  }

  stop(storage: Storage, trialId: number): void {
    if (storage.url !== undefined) {
      this.thread?.postMessage({ op: 'stop', url: storage.url, trialId } satisfies HeartbeatMessage);
      return;
    }
    clearInterval(this.timers.get(trialId));
    this.timers.delete(trialId);
  }
}

/** The process's heartbeats. */
export const heartbeats = new Heartbeats();
