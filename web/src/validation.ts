/**
 * The domain core's own schemas, so forms refuse exactly what the API would
 * refuse (and say it in the same words) before anything is sent.
 */
import { z } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { validProjectFacts } from '../../workflows/project-input';
import { eventData, hasDataSchema } from '../../workflows/event-data';

z.config(zhCN());

export { eventData, hasDataSchema, validProjectFacts };

const valueAt = (value: unknown, path: PropertyKey[]) =>
  path.reduce<unknown>((v, key) => (v as Record<PropertyKey, unknown> | undefined)?.[key], value);

/**
 * The first message for each field path ('funding', 'financing.debtService'),
 * or none when the value passes. A field left empty is simply required: the
 * schema's own words for it (the list of allowed keys) mean nothing to a user.
 */
export function problemsOf(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  const byPath: Record<string, string> = {};
  if (result.success) return byPath;
  for (const issue of result.error.issues) {
    const empty = issue.path.length > 0 && [undefined, ''].includes(valueAt(value, issue.path) as string | undefined);
    byPath[issue.path.map(String).join('.')] ??= empty ? '此项为必填项' : issue.message;
  }
  return byPath;
}
