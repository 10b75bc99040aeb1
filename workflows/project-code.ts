import { z } from 'zod';
import { messages } from './messages';
import { chinaDay } from './working-days';

/**
 * 项目代码: the national code a project receives from the 投资项目在线审批监管平台
 * (docs/domain.md, "The national project code"), `YYYY-NNNNNN-NN-NN-NNNNNN`: the
 * year the code was given, the administrative division of the project's site, the
 * industry (国民经济行业大类), the project type and a serial number. The platform
 * gives the code; here only its structure is checked, so a mistyped code is caught
 * where it is typed.
 */
export const PROJECT_CODE_EXAMPLE = '2025-330102-48-01-000123';

/** The platform has given codes since its launch in 2015. */
export const FIRST_CODE_YEAR = 2015;

/** The first two digits of every province-level division (GB/T 2260), with 66 for the 新疆生产建设兵团. */
const provinces = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '66', '71', '81', '82',
]);

const shape = /^(\d{4})-(\d{6})-(\d{2})-(\d{2})-(\d{6})$/;

/** The parts of a code, each as written. */
export interface ProjectCodeParts {
  year: string;
  division: string;
  industry: string;
  type: string;
  serial: string;
}

/**
 * A code as people paste it from the platform or type it with a Chinese input
 * method: full-width digits and dashes, spaces, a dash of another kind.
 */
export function normaliseProjectCode(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0D\u2010-\u2015\u2212\uFE63_]/g, '-')
    .replace(/\s+/g, '');
}

/** What is wrong with a code, in words for the person who typed it; undefined when it is well formed. */
export function projectCodeProblem(code: string, thisYear: number): string | undefined {
  const match = shape.exec(code);
  if (!match) return messages.projectCodeShape;
  const [, year, division, industry, type, serial] = match as unknown as [string, string, string, string, string, string];
  const y = Number(year);
  if (y < FIRST_CODE_YEAR || y > thisYear) return messages.projectCodeYear(FIRST_CODE_YEAR, thisYear);
  if (!provinces.has(division.slice(0, 2))) return messages.projectCodeDivision;
  if (industry === '00' || Number(industry) > 97) return messages.projectCodeIndustry;
  if (type === '00') return messages.projectCodeType;
  if (serial === '000000') return messages.projectCodeSerial;
  return undefined;
}

/** A well-formed code's parts. */
export function projectCodeParts(code: string): ProjectCodeParts | undefined {
  const match = shape.exec(code);
  if (!match) return undefined;
  const [, year, division, industry, type, serial] = match as unknown as [string, string, string, string, string, string];
  return { year, division, industry, type, serial };
}

const currentYear = () => Number(chinaDay(new Date()).slice(0, 4));

/**
 * The code as a project's field: normalised, then checked; an empty text means
 * "no code yet" (a project is created before it has one).
 */
export const projectCode = z
  .string()
  .max(40)
  .transform((text) => normaliseProjectCode(text))
  .superRefine((code, ctx) => {
    if (code === '') return;
    const problem = projectCodeProblem(code, currentYear());
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((code) => (code === '' ? undefined : code))
  .describe(`项目代码（全国投资项目在线审批监管平台赋码），格式如 ${PROJECT_CODE_EXAMPLE}`);
