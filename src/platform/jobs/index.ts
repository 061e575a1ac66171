import type { Clock } from '../clock.js';
import type { Logger } from '../logging.js';
import { BullJobQueue } from './bull.js';
import { InProcessJobQueue } from './in-process.js';
import type { JobQueue } from './types.js';

export type { JobHandler, JobQueue, ScheduleOptions } from './types.js';
export { BullJobQueue, InProcessJobQueue };

export function createJobQueue(options: {
  redisUrl?: string;
  clock: Clock;
  logger: Logger;
  prefix?: string;
}): JobQueue {
  return options.redisUrl
    ? new BullJobQueue(options.redisUrl, options.clock, options.logger, { prefix: options.prefix })
    : new InProcessJobQueue(options.clock, options.logger);
}
