import { z } from 'zod';
import { keyLevels } from './schedule';

/**
 * What staff send for a year's plan and what a unit sends each month; the API
 * checks with these schemas and the web forms check as people type.
 */
const day = z.iso.date('日期格式应为 YYYY-MM-DD');
const yuan = z.number().int('金额须为整数元').min(0, '金额不能为负数').max(1e13, '金额超出合理范围');

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export const yearPlanInput = z
  .object({
    keyLevel: z.enum(keyLevels).optional(),
    plannedInvestment: yuan,
    plannedStart: day.optional(),
    plannedCompletion: day.optional(),
  })
  .refine((p) => !p.plannedStart || !p.plannedCompletion || p.plannedCompletion >= p.plannedStart, {
    path: ['plannedCompletion'],
    message: '计划竣工不能早于计划开工',
  })
  .meta({ id: 'YearPlan' });

export const monthlyReportInput = z
  .object({
    month,
    completedInvestment: yuan.describe('本月完成投资（元）'),
    progressPercent: z.number().min(0, '形象进度不能小于 0').max(100, '形象进度不能大于 100'),
    progressNote: z.string().trim().min(1, '请填写形象进度').max(2000),
    problems: z.string().trim().max(2000).optional().describe('本月遇到的问题'),
    startedOn: day.optional().describe('实际开工日期（开工当月填写）'),
    inStatistics: z.boolean().optional().describe('是否已入统'),
    photoIds: z.array(z.string().regex(/^[0-9a-f]{24}$/, '照片编号不正确')).max(20).optional(),
    reason: z.string().trim().max(2000).optional().describe('更正已报月报时的理由'),
  })
  .meta({ id: 'MonthlyReportInput' });
