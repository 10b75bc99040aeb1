/**
 * RFC 9457 problem details. Every error a client sees is one of these, with a
 * Chinese title; anything else is logged and answered as a bare 500.
 */
import { messages } from '../../workflows/messages';

export interface FieldError {
  path: string;
  message: string;
}

/** A schema library's issues as the field list of a 422; `prefix` places them inside a larger body. */
export function fieldErrorsOf(issues: { path: PropertyKey[]; message: string }[], prefix: string[] = []): FieldError[] {
  return issues.map((issue) => ({ path: [...prefix, ...issue.path].map(String).join('.'), message: issue.message }));
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  missing?: string[];
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extras: Pick<ProblemBody, 'errors' | 'missing'> = {},
  ) {
    super(detail ?? title);
  }

  toBody(): ProblemBody {
    return { type: 'about:blank', title: this.title, status: this.status, detail: this.detail, ...this.extras };
  }
}

const titled = (status: number, detail?: string, extras?: Pick<ProblemBody, 'errors' | 'missing'>) => new Problem(status, messages.problemTitles[status]!, detail, extras);

export const problemOf = titled;
export const badRequest = (detail?: string) => titled(400, detail);
export const unauthorized = (detail = messages.signInFirst) => titled(401, detail);
export const forbidden = (detail = messages.notAllowed) => titled(403, detail);
export const notFound = (detail = messages.notFoundDefault) => titled(404, detail);
export const conflict = (detail: string) => titled(409, detail);
export const staleVersion = () => conflict(messages.staleVersion);
export const invalid = (errors: FieldError[], detail = messages.invalidDefault) => titled(422, detail, { errors });
export const tooManyRequests = (detail = messages.tooManyAttempts) => titled(429, detail);
export const unavailable = (detail = messages.databaseUnavailable) => titled(503, detail);
