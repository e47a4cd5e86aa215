// The heartbeat thread (see heartbeat.ts): one connection per storage URL,
// one timer per running trial. Beats that fail are retried at the next tick;
// the trial's worker learns of a lost trial when it tells its result.
import { parentPort } from 'node:worker_threads';
import type { HeartbeatMessage } from './heartbeat.js';
import { openStorage } from './storage/index.js';

const timers = new Map<string, NodeJS.Timeout>();

parentPort?.on('message', (m: HeartbeatMessage) => {
  const key = `${m.trialId}@${m.url}`;
  clearInterval(timers.get(key));
  timers.delete(key);
  if (m.op !== 'start') return;
  const beat = (): void => {
    try {
      openStorage(m.url)
        .heartbeat(m.trialId)
        .catch(() => {});
    } catch {
      // the storage cannot be opened from here: the next tick tries again
    }
  };
  beat();
  timers.set(key, setInterval(beat, m.intervalMs));
});
