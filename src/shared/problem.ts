/**
 * RFC 9457 problem details. Every error a client sees is one of these, with a
 * Chinese title; anything else is logged and answered as a bare 500.
 */
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

export const badRequest = (detail?: string) => new Problem(400, '请求格式错误', detail);
export const unauthorized = (detail = '请先登录') => new Problem(401, '未登录', detail);
export const forbidden = (detail = '无权执行此操作') => new Problem(403, '无权限', detail);
export const notFound = (detail = '资源不存在或无权查看') => new Problem(404, '未找到', detail);
export const conflict = (detail: string) => new Problem(409, '操作冲突', detail);
export const staleVersion = () => conflict('数据已被他人修改，请刷新后重试');
export const invalid = (errors: FieldError[], detail = '提交的数据不符合要求') =>
  new Problem(422, '数据校验未通过', detail, { errors });
export const tooManyRequests = (detail = '尝试次数过多，请稍后再试') => new Problem(429, '请求过于频繁', detail);
export const unavailable = (detail = '数据库暂不可用，请稍后重试') => new Problem(503, '服务暂不可用', detail);
