import type { Request, RequestHandler } from 'express';
import rateLimit, { ipKeyGenerator } from 'express-rate-limit';
import type { Settings } from '../config';
import { messages } from '../../workflows/messages';
import { tooManyRequests } from './problem';

/**
 * How long browsers and proxies may keep each public answer: the hall board changes with the work, a
 * verification code names one printed version whose answer never changes, and the demo notice goes with the data.
 */
const caching: Record<string, string> = {
  board: 'public, max-age=60',
  verify: 'public, max-age=86400',
  status: 'public, max-age=60',
};

/** `board` for /api/public/board, `verify` for every /api/public/verify/:code. */
const endpointOf = (req: Request) => req.path.split('/')[1] ?? '';

/**
 * What every endpoint under /api/public gets, mounted there: a limit per address and endpoint (each code typed
 * counts towards the same `verify` limit), then its caching policy. Errors replace the policy with no-store.
 */
export function publicEndpoints(settings: Settings): RequestHandler[] {
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: settings.publicRequestsPerMinute,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}:${endpointOf(req)}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(tooManyRequests(messages.tooManyRequests)),
  });
  const cachePolicy: RequestHandler = (req, res, next) => {
    const policy = caching[endpointOf(req)];
    if (policy) res.setHeader('Cache-Control', policy);
    next();
  };
  return [limiter, cachePolicy];
}

/** Everything else the API answers may name people (users, owners, reviewers): no browser or proxy keeps it. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
