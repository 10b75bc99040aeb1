import express, { type Request, type RequestHandler, type Response } from 'express';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { useInputErrors } from '../../workflows/input-errors';
import { messages } from '../../workflows/messages';
import { badRequest, fieldErrorsOf, forbidden, invalid, unauthorized } from './problem';
import type { CurrentUser, Role } from './current-user';

// Every request is validated here, so this is where zod learns to speak to the people who read its answers.
useInputErrors();

/** Who may call a route at all; finer, per-project rules live in the policy module. */
export type Access = 'public' | 'user' | readonly Role[];

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface RouteSpec<B extends ZodType, Q extends ZodType, P extends ZodType> {
  method: Method;
  /** Express-style path, e.g. `/api/projects/:id`. */
  path: string;
  tag: string;
  summary: string;
  access: Access;
  body?: B;
  query?: Q;
  params?: P;
  /** Documented responses besides the problem responses every route may give. */
  responses?: Record<number, { description: string; schema?: ZodType; contentType?: string }>;
  /** Non-JSON request bodies (uploads) are documented here instead of `body`. */
  requestContent?: Record<string, { schema: ZodType }>;
  /** Runs before validation, e.g. rate limits or multipart parsing. */
  before?: RequestHandler[];
  /** Also open to a user who signed in with a temporary password and has not changed it yet. */
  withTemporaryPassword?: boolean;
}

export interface RouteContext<B, Q, P, U> {
  user: U;
  body: B;
  query: Q;
  params: P;
  req: Request;
  res: Response;
}

/** A handler's JSON result; `undefined` means 204, and a handler that wrote the response itself returns nothing. */
export type RouteResult = { status?: number; body: unknown } | undefined;

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    missing: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem' });

function parseOr<T extends ZodType>(schema: T | undefined, value: unknown, fail: (e: z.ZodError) => Error): z.output<T> {
  if (!schema) return undefined as z.output<T>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail(parsed.error);
  return parsed.data;
}

function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}

/**
 * Declares routes once: the same zod schemas validate each request and describe
 * it in the OpenAPI document, so the two cannot drift apart.
 */
export class ApiRouter {
  readonly router = express.Router();

  constructor(private readonly registry: OpenAPIRegistry) {}

  route<B extends ZodType = ZodType<undefined>, Q extends ZodType = ZodType<undefined>, P extends ZodType = ZodType<undefined>>(
    spec: RouteSpec<B, Q, P> & { access: 'public' },
    handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>, CurrentUser | undefined>) => Promise<RouteResult | void>,
  ): void;
  route<B extends ZodType = ZodType<undefined>, Q extends ZodType = ZodType<undefined>, P extends ZodType = ZodType<undefined>>(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>, CurrentUser>) => Promise<RouteResult | void>,
  ): void;
  route<B extends ZodType, Q extends ZodType, P extends ZodType>(
    spec: RouteSpec<B, Q, P>,
    handler: (ctx: RouteContext<z.output<B>, z.output<Q>, z.output<P>, CurrentUser>) => Promise<RouteResult | void>,
  ): void {
    this.document(spec);
    this.router[spec.method](spec.path, ...(spec.before ?? []), async (req, res) => {
      const user = authorize(spec, req.currentUser);
      const ctx = {
        user: user as CurrentUser,
        params: parseOr(spec.params, req.params, (e) => badRequest(summarise(e))),
        query: parseOr(spec.query, req.query, (e) => badRequest(summarise(e))),
        body: parseOr(spec.body, req.body, (e) => invalid(fieldErrorsOf(e.issues))),
        req,
        res,
      };
      const result = await handler(ctx);
      if (res.headersSent) return;
      if (!result) {
        res.status(204).end();
        return;
      }
      res.status(result.status ?? 200).json(result.body);
    });
  }

  private document<B extends ZodType, Q extends ZodType, P extends ZodType>(spec: RouteSpec<B, Q, P>): void {
    const responses: Record<number, ResponseConfig> = {};
    for (const [status, response] of Object.entries(spec.responses ?? { 200: { description: '成功' } })) {
      responses[Number(status)] = response.schema
        ? { description: response.description, content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
        : { description: response.description };
    }
    responses[400] ??= { description: '请求格式错误', content: { 'application/problem+json': { schema: problemSchema } } };
    if (spec.access !== 'public') {
      responses[401] = { description: '未登录', content: { 'application/problem+json': { schema: problemSchema } } };
    }
    const content = spec.body ? { 'application/json': { schema: spec.body } } : spec.requestContent;
    this.registry.registerPath({
      method: spec.method,
      path: openApiPath(spec.path),
      tags: [spec.tag],
      summary: spec.summary,
      security: spec.access === 'public' ? [] : [{ session: [] }],
      request: {
        params: spec.params as never,
        query: spec.query as never,
        body: content ? { content } : undefined,
      },
      responses,
    });
  }
}

/** Each message names its field in words (workflows/input-errors.ts), so the keys stay out of what users read. */
function summarise(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => issue.message))].join('；');
}

function authorize(spec: Pick<RouteSpec<ZodType, ZodType, ZodType>, 'access' | 'withTemporaryPassword'>, user: CurrentUser | undefined): CurrentUser | undefined {
  if (spec.access === 'public') return user;
  if (!user) throw unauthorized();
  if (user.mustChangePassword && !spec.withTemporaryPassword) throw forbidden(messages.passwordChangeRequired);
  if (spec.access !== 'user' && !spec.access.includes(user.role)) throw forbidden();
  return user;
}
