import type { Writable } from 'node:stream';
import { ratingLabels } from '../../workflows/rating';
import { channelLabels, fieldLabels, stageLabel } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { writeLedger, type LedgerSheet } from '../shared/ledger-writer';
import type { ProjectRow } from './catalogue';
import { rowView } from './project-list';

/**
 * The project list as staff take it away: exactly the rows the list shows for
 * the same filters and order (or the rows they picked), one line each, with
 * the list's columns and the amounts in 万元, totals at the foot.
 */
type Line = ReturnType<typeof rowView>;

export const projectListTitle = '项目清单';

const sheet: LedgerSheet<Line> = {
  title: projectListTitle,
  columns: [
    { header: '项目名称', value: (p) => p.name, total: 'count' },
    { header: '项目代码', value: (p) => p.projectCode },
    { header: '项目单位', value: (p) => p.orgName },
    { header: '资金渠道', value: (p) => channelLabels[p.channel] },
    { header: '领域', value: (p) => fieldLabels[p.field] },
    { header: '建设年限', value: (p) => `${p.startYear}—${p.endYear}` },
    { header: '总投资（万元）', value: (p) => p.totalInvestment, format: 'amount', total: 'sum' },
    { header: '申请资金（万元）', value: (p) => p.requestedAmount, format: 'amount', total: 'sum' },
    { header: '当前阶段', value: (p) => stageLabel(p.stage, p.channel) },
    { header: '审核到期日', value: (p) => p.dueDate },
    { header: '红黄绿', value: (p) => p.rating && ratingLabels[p.rating] },
    { header: '评定理由', value: (p) => p.ratingReason },
    { header: '更新日期', value: (p) => chinaDay(new Date(p.updatedAt)) },
  ],
};

/** Streams the rows as an .xlsx to `out`; returns how many there were. */
export function writeProjectList(rows: readonly ProjectRow[], out: Writable, now = new Date()): Promise<number> {
  return writeLedger(out, sheet, rows.map((row) => rowView(row, now)));
}
