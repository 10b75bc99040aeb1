/**
 * The domain core's own schemas, so forms refuse exactly what the API would
 * refuse (and say it in the same words, workflows/input-errors.ts) before
 * anything is sent.
 */
import type { z } from 'zod';
import { useInputErrors } from '../../workflows/input-errors';
import { validProjectFacts } from '../../workflows/project-input';
import { eventData, hasDataSchema } from '../../workflows/event-data';

useInputErrors();

export { eventData, hasDataSchema, validProjectFacts };

/** The first message for each field path ('funding', 'financing.debtService'), or none when the value passes. */
export function problemsOf(schema: z.ZodType, value: unknown): Record<string, string> {
  const result = schema.safeParse(value);
  const byPath: Record<string, string> = {};
  if (result.success) return byPath;
  for (const issue of result.error.issues) byPath[issue.path.map(String).join('.')] ??= issue.message;
  return byPath;
}
