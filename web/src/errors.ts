import { ElMessage } from 'element-plus';
import { ApiError, uploadError } from './api/http';
import { messages } from '../../workflows/messages';

export const CONFLICT_TEXT = messages.conflictRefresh;

/** What to tell the user about a failed request, in words they can act on. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return messages.unexpectedInBrowser;
  if (error.status === 409) return CONFLICT_TEXT;
  return error.problem.detail ?? error.problem.title;
}

export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409;

/** Shows the error, except a lapsed session: that one already took the user to the login page. */
export function notifyError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401) return;
  ElMessage.error({ message: errorText(error), grouping: true });
}

/** The API's field errors (422) by field path, to show beside the fields. */
export function fieldErrorsOf(error: unknown, prefix = ''): Record<string, string> | undefined {
  if (!(error instanceof ApiError) || error.status !== 422 || !error.problem.errors?.length) return undefined;
  const byPath: Record<string, string> = {};
  for (const e of error.problem.errors) {
    const path = e.path.startsWith(prefix) ? e.path.slice(prefix.length) : e.path;
    byPath[path] ??= e.message;
  }
  return byPath;
}

/** A file the upload component could not send, told with its name (a lapsed session has already gone to the login page). */
export function notifyUploadError(failure: Error, fileName: string): void {
  const error = uploadError(failure as Error & { status?: number });
  if (error.status !== 401) ElMessage.error({ message: `${fileName}：${errorText(error)}`, duration: 6000 });
}
