import type { Writable } from 'node:stream';
import { amountText } from '../../workflows/units';
import { fieldLabels } from '../../workflows/vocabulary';
import { findProject } from '../projects/project.repository';
import { writeLedger, type LedgerSheet } from '../shared/ledger-writer';
import type { RoundRecord } from './round.model';
import { roundDetail, type RoundLineView } from './rounds.service';

/**
 * The plan draft (计划草案) as the higher level asks for it: one line per
 * project with its code, name, unit, location, field, construction content,
 * total investment, funds to date, the amount asked this time, its 一件三证
 * state and contact; amounts in 万元, totals at the foot, and under them the
 * round and its ceiling.
 */
type Line = RoundLineView & { description?: string };

export const draftColumns: LedgerSheet<Line>['columns'] = [
  { header: '项目代码', value: (l) => l.projectCode ?? '' },
  { header: '项目名称', value: (l) => l.name, total: 'count' },
  { header: '项目单位', value: (l) => l.orgName },
  { header: '建设地点', value: (l) => l.location ?? '' },
  { header: '领域', value: (l) => fieldLabels[l.field] },
  { header: '建设内容', value: (l) => l.description ?? '' },
  { header: '总投资（万元）', value: (l) => l.totalInvestment, format: 'amount', total: 'sum' },
  { header: '累计到位资金（万元）', value: (l) => l.securedAmount, format: 'amount', total: 'sum' },
  { header: '本次申请金额（万元）', value: (l) => l.amount, format: 'amount', total: 'sum' },
  { header: '一件三证', value: (l) => (l.readiness.yiJianSanZheng.complete ? '已具备' : '未具备') },
  { header: '联系人及电话', value: (l) => [l.contact, l.phone].filter(Boolean).join(' ') },
];

export const draftFileName = (round: RoundRecord) => `${round.name}-计划草案.xlsx`;

/** Streams the round's draft to `out`; returns how many projects it lists. */
export async function writeDraft(round: RoundRecord, out: Writable): Promise<number> {
  const detail = roundDetail(round._id.toString());
  // The construction content is not in the catalogue: each project of the draft is read once (tens of them, none of their history).
  const lines: Line[] = [];
  for (const item of detail.items) lines.push({ ...item, description: (await findProject(item.id)).description });
  const { total, ceiling } = detail.round;
  const notes = [
    `申报批次：${round.name}（${round.year}年），申报截止日期 ${round.deadline}`,
    ceiling === undefined ? `本次申请合计 ${amountText(total)}，未设控制额度` : `本次申请合计 ${amountText(total, ceiling)}，控制额度 ${amountText(ceiling, total)}`,
  ];
  return writeLedger(out, { title: '计划草案', columns: draftColumns, notes }, lines);
}
