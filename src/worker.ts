import { registerDomains } from './domains.js';
import { closePlatform, createPlatform, logUnhandledRejections } from './platform/bootstrap.js';
import { ConfigError, loadConfig } from './platform/config.js';

/** The production worker: processes Bull jobs and runs the sweeper; serves no HTTP. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.redisUrl) {
    console.error('REDIS_URL: the worker needs Redis (without it, jobs run inside `npm start`)');
    process.exit(1);
  }
  const deps = await createPlatform(config);
  logUnhandledRejections(deps.logger);
  registerDomains(deps);
  await deps.jobs.start();
  deps.sweeper.start(config.sweepIntervalSeconds);
  deps.logger.info({ jobs: deps.jobs.kind }, 'worker started');
  const shutdown = () => {
    closePlatform(deps).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
