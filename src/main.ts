import { createApp } from './app.js';
import { closeAuctionBus } from './auction/bus.js';
import { registerDomains } from './domains.js';
import { closePlatform, createPlatform, logUnhandledRejections } from './platform/bootstrap.js';
import { ConfigError, loadConfig } from './platform/config.js';
import { formatDemoLogins } from './platform/demo.js';
import { prepareInstallation } from './installation.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = await createPlatform(config);
  logUnhandledRejections(deps.logger);
  const { demoLoaders } = registerDomains(deps);
  const { adminCreated, demo } = await prepareInstallation(deps, demoLoaders);
  if (adminCreated) deps.logger.info({ username: config.admin?.username }, 'administrator created');
  if (demo.loaded) console.log(formatDemoLogins(demo.logins));
  if (config.runJobsInWeb) {
    await deps.jobs.start();
    deps.sweeper.start(config.sweepIntervalSeconds);
  }
  const app = createApp(deps);
  const server = app.listen(config.port, config.host, () => {
    deps.logger.info(
      { port: config.port, database: deps.database.kind, jobs: deps.jobs.kind },
      `中介超市 listening on http://localhost:${config.port}`,
    );
  });
  const shutdown = (signal: string) => {
    deps.logger.info({ signal }, 'shutting down');
    server.close(() => {
      closeAuctionBus(deps).then(() => closePlatform(deps)).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
    server.closeIdleConnections();
    // live auction streams never end by themselves; their clients resume elsewhere with Last-Event-ID
    setTimeout(() => server.closeAllConnections(), 2_000).unref();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Start-up failed:', error);
  }
  process.exit(1);
});
