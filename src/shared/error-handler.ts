import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { messages } from '../../workflows/messages';
import { Problem, badRequest, notFound, problemOf, unavailable } from './problem';
import { isDatabaseUnavailable } from './mongo-errors';

const PROBLEM_JSON = 'application/problem+json';

function asProblem(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  const e = error as { type?: string; status?: number; code?: string; name?: string };
  if (e.type === 'entity.parse.failed') return badRequest(messages.notJson);
  if (e.type === 'entity.too.large') return problemOf(413, messages.bodyTooLarge);
  if (e.code === 'EBADCSRFTOKEN') return problemOf(403, messages.csrfFailed);
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return problemOf(413, messages.fileTooLarge);
    if (error.code === 'LIMIT_FIELD_VALUE') return badRequest(messages.uploadFieldTooLong);
    return badRequest(['LIMIT_FILE_COUNT', 'LIMIT_UNEXPECTED_FILE'].includes(error.code) ? messages.uploadOneFile : messages.uploadMalformed);
  }
  // busboy's own errors for a multipart body it cannot parse (e.g. control characters in a part header).
  if (/^(Malformed part header|Unexpected end of form|Multipart: Boundary not found)/.test((error as Error)?.message ?? '')) {
    return badRequest(messages.uploadMalformed);
  }
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') return problemOf(507, messages.storageFull);
  if (e.name === 'CastError') return notFound();
  if (isDatabaseUnavailable(error)) return unavailable();
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return badRequest();
  return undefined;
}

// A problem is never cached, even where the answer it replaces may be (public endpoints).
export const sendProblem = (res: Parameters<RequestHandler>[1], problem: Problem) =>
  res.status(problem.status).set('Cache-Control', 'no-store').type(PROBLEM_JSON).json(problem.toBody());

export const unknownRoute: RequestHandler = () => {
  throw notFound(messages.noSuchEndpoint);
};

/** No stack trace or database message ever reaches a client: unknown errors are logged and answered as a bare 500. */
export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  const problem = asProblem(error);
  if (!problem || problem.status >= 500) req.log?.[problem ? 'warn' : 'error']({ err: error }, problem?.title ?? 'unhandled error');
  // A failure in the middle of a download can no longer be answered; cutting the connection tells the client.
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendProblem(res, problem ?? problemOf(500, messages.unexpected));
};
