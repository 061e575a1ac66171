import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      remove: true,
    },
  });
}

/**
 * The URL a request is logged under. Which project a firm registers for, quotes on or asks about
 * is sealed until the opening (docs/security.md), so those routes are logged without the project.
 */
export const requestLogUrl = (url: string): string =>
  url.replace(/^(\/(?:api\/v1\/)?projects\/)\d+(\/(?:registrations|submissions|questions)(?:[/?#]|$))/, '$1:id$2');
