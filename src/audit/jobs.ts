import type { PlatformDeps } from '../platform/deps.js';
import { nextCheckpointDue, signDueCheckpoint } from './checkpoints.js';

export const CHECKPOINT_JOB = 'audit.checkpoint';

/**
 * Interval checkpoints, like the deadline reminders: a job due when the latest checkpoint turns
 * CHECKPOINT_INTERVAL_MS old (Bull runs a job id once across workers), and the sweeper's pass,
 * which signs whatever is due and schedules that job. A chain idle past the interval is signed by
 * the first sweep after it moves.
 */
export function registerAuditJobs(deps: PlatformDeps): void {
  deps.jobs.register(CHECKPOINT_JOB, async () => {
    await signDueCheckpoint(deps);
    await scheduleNextCheckpoint(deps);
  });
  deps.sweeper.add({
    name: 'audit-checkpoints',
    run: async () => {
      const signed = await signDueCheckpoint(deps);
      await scheduleNextCheckpoint(deps);
      return signed ? 1 : 0;
    },
  });
}

async function scheduleNextCheckpoint(deps: PlatformDeps): Promise<void> {
  const due = await nextCheckpointDue(deps);
  if (!due) return;
  try {
    await deps.jobs.schedule(CHECKPOINT_JOB, {}, { runAt: due, jobId: `${CHECKPOINT_JOB}:${due.getTime()}` });
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not schedule the next audit checkpoint; the sweeper will sign it');
  }
}
