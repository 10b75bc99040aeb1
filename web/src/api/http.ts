/**
 * The one way screens talk to the API: same-origin cookies, the CSRF token on
 * every state change, problem+json errors as `ApiError`s, and a session that
 * has run out sending the user to the login page and back.
 */
import { messages } from '../../../workflows/messages';

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { path: string; message: string }[];
  missing?: string[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

let csrfToken = '';
let onUnauthorized: () => void = () => undefined;

export const setCsrfToken = (token: string) => {
  csrfToken = token;
};
export const csrfHeader = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {});
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

const LOGIN = '/api/auth/login';

async function problemOf(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  const body = type.includes('json') ? ((await res.json()) as Partial<Problem>) : {};
  return { title: res.statusText || messages.requestFailed, ...body, status: res.status };
}

/** A problem from a request that never reached the service, or a body that was not problem JSON. */
function toApiError(status: number, text: string): ApiError {
  try {
    return new ApiError({ ...(JSON.parse(text) as Problem), status });
  } catch {
    return new ApiError({ title: status ? messages.requestFailed : messages.networkDown, detail: status ? undefined : messages.serverUnreachable, status });
  }
}

/** A failed upload sent by the upload component (its own request, not `send`). */
export function uploadError(failure: { status?: number; message?: string }): ApiError {
  const status = failure.status ?? 0;
  if (status === 401) onUnauthorized();
  return toApiError(status, failure.message ?? '');
}

async function send(method: string, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = { accept: 'application/json', ...(method === 'GET' ? {} : csrfHeader()), ...(init.headers as Record<string, string>) };
  let res: Response;
  try {
    res = await fetch(url, { ...init, method, headers, credentials: 'same-origin' });
  } catch {
    throw toApiError(0, '');
  }
  if (res.ok) return res;
  if (res.status === 401 && url !== LOGIN) onUnauthorized();
  throw new ApiError(await problemOf(res));
}

export async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
  const res = await send(method, url, init);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** A multipart form (a file with its fields), answered with JSON. */
export async function postForm<T>(url: string, form: FormData): Promise<T> {
  return (await (await send('POST', url, { body: form })).json()) as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  put: <T>(url: string, body: unknown) => request<T>('PUT', url, body),
  delete: <T>(url: string) => request<T>('DELETE', url),
};

/** The name an attachment is sent under: RFC 5987 `filename*` (Chinese names), else plain `filename`. */
function attachmentName(disposition: string | null): string {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (encoded) return decodeURIComponent(encoded);
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? 'download';
}

/**
 * A file the API makes or keeps (a PDF, an Excel list), with the name it gives it: saved, or shown inline
 * (PDF previews: the service sends files as attachments, which a frame would download).
 */
export async function fetchFile(url: string): Promise<{ blob: Blob; name: string }> {
  const res = await send('GET', url);
  return { blob: await res.blob(), name: attachmentName(res.headers.get('content-disposition')) };
}

export const query = (params: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== '') as [string, string][]).toString();
