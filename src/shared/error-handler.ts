import type { ErrorRequestHandler, RequestHandler } from 'express';
import { MulterError } from 'multer';
import { Problem, badRequest, notFound, unavailable } from './problem';
import { isDatabaseUnavailable } from './mongo-errors';

const PROBLEM_JSON = 'application/problem+json';

function asProblem(error: unknown): Problem | undefined {
  if (error instanceof Problem) return error;
  const e = error as { type?: string; status?: number; code?: string; name?: string };
  if (e.type === 'entity.parse.failed') return badRequest('请求体不是合法的 JSON');
  if (e.type === 'entity.too.large') return new Problem(413, '请求体过大', '请求体不能超过 1 MB');
  if (e.code === 'EBADCSRFTOKEN') return new Problem(403, '无权限', 'CSRF 校验失败，请刷新页面后重试');
  if (error instanceof MulterError) {
    return error.code === 'LIMIT_FILE_SIZE'
      ? new Problem(413, '文件过大', '单个文件超过大小上限')
      : badRequest(`上传格式错误：${error.code}`);
  }
  // busboy's own errors for a multipart body it cannot parse (e.g. control characters in a part header).
  if (/^(Malformed part header|Unexpected end of form|Multipart: Boundary not found)/.test((error as Error)?.message ?? '')) {
    return badRequest('上传的表单格式不正确（文件名中不能含控制字符）');
  }
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT') {
    return new Problem(507, '存储空间不足', '服务器存储空间已满，文件未能保存。请联系管理员清理空间后重新上传。');
  }
  if (e.name === 'CastError') return notFound();
  if (isDatabaseUnavailable(error)) return unavailable();
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return badRequest();
  return undefined;
}

// A problem is never cached, even where the answer it replaces may be (public endpoints).
export const sendProblem = (res: Parameters<RequestHandler>[1], problem: Problem) =>
  res.status(problem.status).set('Cache-Control', 'no-store').type(PROBLEM_JSON).json(problem.toBody());

export const unknownRoute: RequestHandler = () => {
  throw notFound('没有这个接口');
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
  sendProblem(res, problem ?? new Problem(500, '服务器内部错误', '请稍后重试；如持续出现请联系管理员'));
};
