import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { registerAuditRoutes } from './audit/routes.js';
import { auditPageLocals } from './audit/page-locals.js';
import { registerAuditPages } from './audit/pages.js';
import { registerTransparencyPages } from './transparency/pages.js';
import { registerTransparencyRoutes } from './transparency/routes.js';
import { OBJECTION_PAGE, registerAwardPages } from './awards/pages.js';
import { registerAwardRoutes } from './awards/routes.js';
import { registerBlacklistPages } from './blacklist/pages.js';
import { registerBlacklistRoutes } from './blacklist/routes.js';
import { registerCreditRoutes } from './credit/routes.js';
import { createSessionStore, csrfProtection, csrfSecretMiddleware, currentUserMiddleware, sessionMiddleware } from './auth/middleware.js';
import { registerAuthPages } from './auth/pages.js';
import { registerAuthApiRoutes } from './auth/routes.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import { IMPORT_BODY_LIMIT, IMPORT_MEDIA_TYPES } from './catalog/spreadsheet.js';
import { registerFirmPages } from './firms/pages.js';
import { registerFirmRoutes } from './firms/routes.js';
import { CONTRACT_UPLOAD_PAGES, registerContractPages } from './contracts/pages.js';
import { registerContractRoutes } from './contracts/routes.js';
import { exceptFileUpload, FILES_PATH, registerFileRoutes } from './platform/files/routes.js';
import { registerHomeRoutes } from './home/routes.js';
import { registerLotteryRoutes } from './lottery/routes.js';
import { registerProjectPages, SUBMISSION_PAGE } from './projects/pages.js';
import { unreadNotificationsMiddleware } from './notifications/middleware.js';
import { registerNotificationPages } from './notifications/pages.js';
import { registerNotificationRoutes } from './notifications/routes.js';
import { registerQuestionPages } from './questions/pages.js';
import { registerQuestionRoutes } from './questions/routes.js';
import { registerProjectRoutes } from './projects/routes.js';
import { registerComparisonRoutes } from './comparison/routes.js';
import { registerAuctionPages } from './auction/pages.js';
import { registerAuctionRoutes } from './auction/routes.js';
import { registerCalendarRoutes } from './platform/calendar/routes.js';
import type { PlatformDeps } from './platform/deps.js';
import { errorHandler, notFoundHandler, requireJsonBody } from './platform/http/error-handler.js';
import { languageMiddleware } from './platform/http/language.js';
import { API_PREFIX, RouteTable } from './platform/http/routes.js';
import { registerSystemRoutes } from './platform/http/system-routes.js';
import { singleFileUpload } from './platform/http/uploads.js';
import { configureViews } from './platform/views.js';
import { requestLogUrl } from './platform/logging.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every route of the marketplace, declared once with its access rule. */
export function buildRouteTable(deps: PlatformDeps): RouteTable {
  const routes = new RouteTable({ checkResponses: deps.config.env === 'test' });
  registerSystemRoutes(routes, deps);
  registerHomeRoutes(routes, deps);
  registerAuditRoutes(routes, deps);
  registerAuditPages(routes, deps);
  registerCalendarRoutes(routes, deps);
  registerFileRoutes(routes, deps);
  registerAuthApiRoutes(routes, deps);
  registerAuthPages(routes, deps);
  registerCatalogRoutes(routes, deps);
  registerFirmRoutes(routes, deps);
  registerFirmPages(routes, deps);
  registerCreditRoutes(routes, deps);
  registerBlacklistRoutes(routes, deps);
  registerBlacklistPages(routes, deps);
  registerLotteryRoutes(routes, deps);
  registerProjectRoutes(routes, deps);
  registerContractRoutes(routes, deps);
  registerContractPages(routes, deps);
  registerProjectPages(routes, deps);
  registerTransparencyRoutes(routes, deps);
  registerTransparencyPages(routes, deps);
  registerNotificationRoutes(routes, deps);
  registerNotificationPages(routes, deps);
  registerQuestionRoutes(routes, deps);
  registerQuestionPages(routes, deps);
  registerComparisonRoutes(routes, deps);
  registerAuctionRoutes(routes, deps);
  registerAuctionPages(routes, deps);
  registerAwardRoutes(routes, deps);
  registerAwardPages(routes, deps);
  return routes;
}

export function createApp(deps: PlatformDeps): Express {
  const app = express();
  const secure = deps.config.trustProxy;
  app.set('trust proxy', deps.config.trustProxy);
  app.disable('x-powered-by');
  configureViews(app);

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: requestLogUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
          'form-action': ["'self'"],
          'base-uri': ["'self'"],
          'upgrade-insecure-requests': secure ? [] : null,
        },
      },
      strictTransportSecurity: secure,
    }),
  );

  app.use('/assets/vendor/swagger-ui', express.static(path.join(ROOT, 'node_modules/swagger-ui-dist'), { index: false }));
  app.use('/assets', express.static(path.join(ROOT, 'public'), { index: false, maxAge: '1h' }));

  app.use(cookieParser());
  app.use(languageMiddleware(secure));
  // The catalogue import takes the file itself as the body (CSV or xlsx); every other API body is JSON.
  app.use(`${API_PREFIX}/services/import`, express.raw({ type: IMPORT_MEDIA_TYPES, limit: IMPORT_BODY_LIMIT }));
  // File uploads are multipart/form-data, parsed below once the user is known.
  app.use(API_PREFIX, exceptFileUpload(requireJsonBody), express.json({ limit: deps.config.bodyLimit, strict: true }));
  app.use(express.urlencoded({ extended: false, limit: deps.config.bodyLimit }));
  app.use(csrfSecretMiddleware(deps.config.sessionSecret!));
  app.use(sessionMiddleware(deps, createSessionStore(deps)));
  app.use(currentUserMiddleware(deps));
  app.use(auditPageLocals(deps));
  app.use(unreadNotificationsMiddleware(deps));
  // Before the CSRF check, which reads the upload form's _csrf field.
  app.use('/services/import', singleFileUpload({ field: 'file', maxBytes: 5 * 1024 * 1024 }));
  // busboy stops at its limit even for a file of exactly that size; storeFile enforces the real limit.
  app.use([...CONTRACT_UPLOAD_PAGES, OBJECTION_PAGE, SUBMISSION_PAGE], singleFileUpload({ field: 'file', maxBytes: deps.config.uploadMaxBytes + 1 }));
  app.use(API_PREFIX + FILES_PATH, singleFileUpload({ field: 'file', maxBytes: deps.config.uploadMaxBytes + 1 }));
  app.use(csrfProtection);

  const router = express.Router();
  buildRouteTable(deps).mount(router);
  app.use(router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger, deps.config.env !== 'production'));
  return app;
}
