import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { authPlugin, securitySchemes } from './http/auth.ts';
import { registerErrorHandlers, sendError } from './http/errors.ts';
import { registerRateLimit } from './http/rate-limit.ts';
import { registerResponseHeaders } from './http/security-headers.ts';
import { registerWebApp } from './http/web-app.ts';
import { createLogger } from './lib/logger.ts';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.ts';
import { applicationRoutes } from './modules/applications/applications.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { meRoutes } from './modules/auth/me.routes.ts';
import { oauthRoutes } from './modules/auth/oauth.routes.ts';
import { recoveryRoutes } from './modules/auth/recovery.routes.ts';
import { billingRoutes } from './modules/billing/billing.routes.ts';
import { cvRoutes } from './modules/cvs/cvs.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { importRoutes } from './modules/jobs/import/import.routes.ts';
import { jobRoutes } from './modules/jobs/jobs.routes.ts';
import { setWorkYears } from './modules/jobs/salary.ts';
import { trackedJobRoutes } from './modules/jobs/tracked.routes.ts';
import { coverLetterRoutes } from './modules/match/cover-letters.routes.ts';
import { matchRoutes } from './modules/match/match.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { metricsPlugin } from './modules/ops/metrics.ts';
import { devOutboxRoutes } from './modules/outbox/outbox.routes.ts';
import { savedSearchRoutes } from './modules/saved-searches/saved-searches.routes.ts';

export type AppDeps = {
  config: Config;
  database: Database;
  /** Supply a logger to share one with the caller; otherwise one is built from config. */
  logger?: Logger;
  /** Serve the built web app (web/dist) at `/` with the SPA fallback; the server does, API tests do not. */
  webApp?: boolean;
};

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export type App = FastifyInstance;

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config, database } = deps;
  setWorkYears(config.salaryWorkYears);
  const logger: FastifyBaseLogger = deps.logger ?? createLogger(config);
  const app = Fastify({
    loggerInstance: logger,
    // Honour a caller's well-formed X-Request-Id so one id follows a request across services.
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    requestIdHeader: false,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes hit these every few seconds; logging each would drown the useful lines.
      disableRequestLogging: (req) => req.url === '/healthz' || req.url === '/readyz',
    }),
    bodyLimit: 1_048_576,
    trustProxy: false,
    routerOptions: { maxParamLength: 200 },
    // Malformed URLs and over-long path parameters are refused by the router before any route runs:
    // hand them to the error handler so they get the one error format too.
    frameworkErrors: sendError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerResponseHeaders(app);
  registerErrorHandlers(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Jobr API',
        version: '1.0.0',
        description:
          'The Jobr job-seeker platform. Every error has the shape `{ error: { code, message, details?, requestId } }`.',
      },
      // Relative: "Try it out" calls the address the page was opened at (127.0.0.1 or localhost alike).
      servers: [{ url: '/' }],
      components: { securitySchemes },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(cookie, { secret: config.cookieSecret });
  await registerRateLimit(app, database.db);
  await app.register(authPlugin, { database, config });

  await app.register(healthRoutes(database));
  await app.register(metricsPlugin, { database, config });
  await app.register(
    async (api) => {
      // One line per module; each module's routes carry their own paths under /api/v1.
      await api.register(authRoutes({ database, config }));
      await api.register(meRoutes({ database, config }));
      await api.register(recoveryRoutes({ database, config }));
      await api.register(oauthRoutes({ database, config }));
      await api.register(apiKeyRoutes({ database, config }));
      await api.register(jobRoutes({ database, config }));
      await api.register(trackedJobRoutes({ config }));
      await api.register(importRoutes({ database, config }));
      await api.register(cvRoutes({ database, config }));
      await api.register(applicationRoutes({ database, config }));
      await api.register(notificationRoutes({ database }));
      await api.register(savedSearchRoutes({ database, config }));
      await api.register(exportRoutes({ database, config }));
      await api.register(billingRoutes({ database, config }));
      await api.register(matchRoutes({ database, config }));
      await api.register(coverLetterRoutes({ database, config }));
      if (config.env !== 'production') await api.register(devOutboxRoutes(database));
    },
    { prefix: '/api/v1' },
  );
  if (deps.webApp) await registerWebApp(app);

  return app;
}
