import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { channels } from './stages';

const docKey = z.string().regex(/^[a-z_]+$/);

const rulesSchema = z
  .object({
    documentTypes: z.record(docKey, z.string().min(1)),
    requiredDocuments: z.record(
      z.enum(channels),
      z.object({ draft: z.array(docKey), preliminary: z.array(docKey) }),
    ),
    optionalDocuments: z.array(docKey),
    yiJianSanZheng: z.object({ documents: z.array(docKey).min(1), blocksSubmit: z.boolean() }),
    coverageThreshold: z.number().positive(),
    reviewTimeLimits: z.object({ reserve_review: z.number().int().min(1), application_review: z.number().int().min(1) }),
  })
  .superRefine((rules, ctx) => {
    const known = new Set(Object.keys(rules.documentTypes));
    const used = [
      ...Object.values(rules.requiredDocuments).flatMap((r) => [...r.draft, ...r.preliminary]),
      ...rules.optionalDocuments,
      ...rules.yiJianSanZheng.documents,
    ];
    for (const key of used.filter((k) => !known.has(k))) {
      ctx.addIssue({ code: 'custom', message: `未在 documentTypes 中定义的材料类型 / unknown document type: ${key}` });
    }
  });

export type WorkflowRules = z.output<typeof rulesSchema>;
export type ReviewStage = keyof WorkflowRules['reviewTimeLimits'];

export function loadRules(file = new URL('./rules.yaml', import.meta.url)): WorkflowRules {
  const parsed = rulesSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`workflows/rules.yaml 有误 / is invalid:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const rules = loadRules();
