import { z } from 'zod';
import { channels, type ReviewStage } from './vocabulary';

/**
 * The settings of the pipeline that staff may change without touching code
 * (workflows/rules.yaml): required documents, thresholds, time limits, what the
 * hall board shows. This module only describes and checks them, so the web app
 * can use the same types; rules-file.ts reads the file on the server.
 */
const docKey = z.string().regex(/^[a-z_]+$/);

const share = z.number().min(0).max(1);
const days = z.number().int().min(1);

/** Fields of a project the hall board may show; nothing here names a person. */
export const boardAmountFields = ['totalInvestment', 'securedAmount', 'disbursedAmount', 'plannedInvestment', 'completedInvestment'] as const;
export const boardFields = [
  'name', 'field', 'orgName', 'location', 'startYear', 'endYear',
  'progressPercent', 'plannedPercent', 'completionPercent', 'lastReportDate', 'rating',
  ...boardAmountFields,
] as const;
export type BoardField = (typeof boardFields)[number];

const count = z.number().int().min(1);

const scheduleRating = z
  .object({
    completionShare: z.object({ yellowBelow: share, redBelow: share }),
    missingReports: z.object({ yellowAt: count, redAt: count }),
    startMissed: z.enum(['red', 'yellow']),
  })
  .refine((r) => r.completionShare.redBelow <= r.completionShare.yellowBelow, 'scheduleRating.completionShare: redBelow 不能高于 yellowBelow')
  .refine((r) => r.missingReports.redAt >= r.missingReports.yellowAt, 'scheduleRating.missingReports: redAt 不能少于 yellowAt');

const publicBoard = z
  .object({
    projectsPerList: z.number().int().min(1).max(50),
    fields: z.array(z.enum(boardFields)).min(1),
    showProjectAmounts: z.boolean(),
  })
  .refine(
    (b) => b.showProjectAmounts || !b.fields.some((f) => (boardAmountFields as readonly string[]).includes(f)),
    'publicBoard: 单个项目的金额须在 showProjectAmounts 为 true 时才能公开',
  );

/** Ready-made reasons staff pick and edit when they send a project or a file back (常用退回理由). */
const returnReasons = z.object({
  project: z.array(z.string().trim().min(1).max(500)).max(30),
  document: z.array(z.string().trim().min(1).max(500)).max(30),
});

const rulesSchema = z
  .object({
    documentTypes: z.record(docKey, z.string().min(1)),
    requiredDocuments: z.record(
      z.enum(channels),
      z.object({ draft: z.array(docKey), preliminary: z.array(docKey) }),
    ),
    optionalDocuments: z.array(docKey),
    yiJianSanZheng: z.object({ documents: z.array(docKey).min(1), blocksSubmit: z.boolean() }),
    projectCode: z.object({ requiredBeforeSubmit: z.boolean() }),
    coverageThreshold: z.number().positive(),
    reviewTimeLimits: z.object({ reserve_review: days, application_review: days }) satisfies z.ZodType<Record<ReviewStage, number>>,
    fileReviewTimeLimit: days,
    scheduleRating,
    monthlyReports: z.object({ dueDay: z.number().int().min(1).max(28) }),
    redBlackFlags: z.number().int().min(1).max(20),
    publicBoard,
    returnReasons,
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

/** Checks settings read from YAML or JSON; throws with every mistake named. */
export function parseRules(raw: unknown, source = 'workflows/rules.yaml'): WorkflowRules {
  const parsed = rulesSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source} 有误 / is invalid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
