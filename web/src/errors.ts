import { ElMessage } from 'element-plus';
import { ApiError } from './api/http';

export const CONFLICT_TEXT = '已被他人处理，请刷新';

/** What to tell the user about a failed request, in words they can act on. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return '出现意外错误，请刷新页面后重试';
  if (error.status === 409) return CONFLICT_TEXT;
  if (error.status === 403 && error.problem.detail?.includes('CSRF')) return '页面已过期，请刷新后重试';
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
