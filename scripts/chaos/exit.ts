/** Cleanup that must happen however a chaos script ends. */

const exitTasks = new Set<() => void>();

/**
 * Runs `task` (synchronous) when the script exits, also on an uncaught error, Ctrl-C or SIGTERM;
 * returns a function that cancels it once the normal path has done the same.
 */
export function atExit(task: () => void): () => void {
  exitTasks.add(task);
  return () => exitTasks.delete(task);
}

function runExitTasks(): void {
  for (const task of [...exitTasks].reverse()) {
    exitTasks.delete(task);
    try {
      task();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

process.once('exit', runExitTasks);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    runExitTasks();
    process.exit(130);
  });
}
