import { z } from 'zod';
import { messages } from './messages';
import { yuan } from './project-input';
import { keyLevels } from './schedule';
import { day } from './day-input';

/**
 * What staff send for a year's plan and what a unit sends each month; the API
 * checks with these schemas and the web forms check as people type.
 */

/** A month of the years the calendar of working days knows how to count (2000–2099). */
export const month = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, messages.monthFormat);

export const yearPlanInput = z
  .object({
    keyLevel: z.enum(keyLevels).optional(),
    plannedInvestment: yuan,
    plannedStart: day.optional(),
    plannedCompletion: day.optional(),
  })
  .refine((p) => !p.plannedStart || !p.plannedCompletion || p.plannedCompletion >= p.plannedStart, {
    path: ['plannedCompletion'],
    message: messages.completionBeforeStart,
  })
  .meta({ id: 'YearPlan' });

export const monthlyReportInput = z
  .object({
    month,
    completedInvestment: yuan.describe('本月完成投资（元）'),
    progressPercent: z.number().min(0).max(100),
    progressNote: z.string().trim().min(1).max(2000),
    problems: z.string().trim().max(2000).optional().describe('本月遇到的问题'),
    startedOn: day.optional().describe('实际开工日期（开工当月填写）'),
    inStatistics: z.boolean().optional().describe('是否已入统'),
    photoIds: z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(20).optional(),
    problemIds: z.array(z.string().regex(/^[0-9a-f]{24}$/)).max(50).optional().describe('本月遇到的、已列入问题清单的问题'),
    reason: z.string().trim().max(2000).optional().describe('更正已报月报时的理由'),
  })
  .meta({ id: 'MonthlyReportInput' });
