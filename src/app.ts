import crypto from 'node:crypto';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import swaggerUi from 'swagger-ui-express';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Settings } from './config';
import { ApiRouter } from './shared/api-router';
import { errorHandler, sendProblem, unknownRoute } from './shared/error-handler';
import { unavailable } from './shared/problem';
import { logger } from './shared/logger';
import { noStore, publicEndpoints } from './shared/public-endpoints';
import { adminRoutes, authRoutes } from './accounts/accounts.routes';
import { createSessionMiddleware, csrfProtection, loadUser } from './accounts/sessions';
import { projectRoutes } from './projects/projects.routes';
import { workflowRoutes } from './workflow/workflow.routes';
import { dossierRoutes } from './dossier/dossier.routes';
import { reportRoutes } from './reports/reports.routes';
import { scheduleRoutes } from './schedule/schedule.routes';
import { importRoutes } from './imports/imports.routes';
import { problemRoutes } from './problems/problems.routes';
import { documentsPdfRoutes } from './documents-pdf/documents-pdf.routes';
import { webApp } from './web/web-app';
import { databaseAnswers, databaseIsAnswering } from './db/availability';
import { auditRoutes } from './audit/audit.routes';
import { demoRoutes } from './demo/demo.routes';
import { demoDataPresent } from './demo/demo-marker';
import { notificationRoutes } from './notifications/notifications.routes';
import { mailRoutes } from './mail/mail.routes';
import { moneyRoutes } from './workflow/money.routes';
import { fundsRoutes } from './funds/funds.routes';
import { reminderLetterRoutes } from './reminder-letters/reminder-letters.routes';
import { roundRoutes } from './rounds/rounds.routes';

/** Requests the database cannot serve now are answered 503 at once, even the ones memory could answer. */
const requireDatabase: express.RequestHandler = (_req, _res, next) => {
  if (!databaseIsAnswering()) throw unavailable();
  next();
};

function openApiDocument(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'fundflow.sid' });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: '发改局项目资金申报管理系统 API', version: '1.0.0' },
  });
}

export async function createApp(settings: Settings): Promise<express.Express> {
  const app = express();
  const registry = new OpenAPIRegistry();
  const api = new ApiRouter(registry);
  authRoutes(api, settings, { demoDataPresent });
  adminRoutes(api);
  projectRoutes(api);
  workflowRoutes(api);
  dossierRoutes(api, settings);
  scheduleRoutes(api, settings);
  importRoutes(api);
  problemRoutes(api, settings);
  reportRoutes(api);
  documentsPdfRoutes(api, settings);
  auditRoutes(api);
  demoRoutes(api);
  notificationRoutes(api);
  mailRoutes(api);
  reminderLetterRoutes(api);
  moneyRoutes(api);
  fundsRoutes(api);
  roundRoutes(api);
  const openApi = openApiDocument(registry);

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    }),
  );
  app.use(helmet());

  app.get('/healthz', async (_req, res) => {
    if (await databaseAnswers()) res.json({ status: 'ok' });
    else sendProblem(res, unavailable());
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  app.use('/api/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(openApi));

  app.use('/api', requireDatabase);
  app.use(express.json({ limit: '1mb' }));
  app.use('/api', noStore);
  app.use('/api/public', ...publicEndpoints(settings));
  app.use(await createSessionMiddleware(settings));
  app.use(loadUser);
  app.use(csrfProtection);
  app.use(api.router);
  app.use(webApp({ behindHttps: settings.cookieSecure }));
  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
