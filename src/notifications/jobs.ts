import type { PlatformDeps } from '../platform/deps.js';
import { registerDeadlineSource, registerReminderJob } from './deadlines.js';
import { deliver, deliverDue, SEND_JOB } from './service.js';
import { BUILT_IN_SOURCES } from './sources.js';

/** The send job, the sweeper's pass over pending deliveries, and the deadline reminders. */
export function registerNotificationJobs(deps: PlatformDeps): void {
  deps.jobs.register<{ deliveryId: number }>(SEND_JOB, async ({ deliveryId }) => {
    await deliver(deps, deliveryId);
  });
  deps.sweeper.add({ name: 'notification-deliveries', run: () => deliverDue(deps) });
  for (const source of BUILT_IN_SOURCES) registerDeadlineSource(source);
  registerReminderJob(deps);
}
