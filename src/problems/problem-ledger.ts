import type { Writable } from 'node:stream';
import { isOverdue, problemCategoryLabels, problemLevelLabels, problemStateLabels } from '../../workflows/problems';
import { chinaDay } from '../../workflows/working-days';
import type { CurrentUser } from '../shared/current-user';
import { organisationName } from '../accounts/accounts.service';
import { responsibilityView } from '../projects/responsibility-view';
import { writeLedger, type LedgerColumn } from '../shared/ledger-writer';
import { selectProblems, summaryOf, type ProblemQuery, type SelectedProblem } from './problems.service';

/**
 * 问题解决台账 (docs/domain.md, "Problems that hold a project up"): each
 * problem with its project, dates, level, state and resolution, oldest raised
 * first, and under the table the sentence reports quote, worked out from the
 * same problems.
 */
type Line = SelectedProblem & { today: string };

const day = (iso: string | undefined) => iso && chinaDay(new Date(iso));

const columns: LedgerColumn<Line>[] = [
  { header: '项目名称', value: (l) => l.project.name },
  { header: '项目代码', value: (l) => l.project.projectCode },
  { header: '项目单位', value: (l) => organisationName(l.row.orgId) },
  { header: '包联领导', value: (l) => responsibilityView(l.project.responsibility)?.leaderName },
  { header: '问题类别', value: (l) => problemCategoryLabels[l.row.category] },
  { header: '问题描述', value: (l) => l.row.description, total: 'count' },
  { header: '协调层级', value: (l) => problemLevelLabels[l.row.level] },
  { header: '责任单位', value: (l) => l.row.responsibleUnit },
  { header: '提出日期', value: (l) => l.row.raisedOn },
  { header: '办结时限', value: (l) => l.row.dueDate },
  { header: '办理状态', value: (l) => (isOverdue(l.row, l.today) ? '逾期未解决' : problemStateLabels[l.row.state]) },
  { header: '销号日期', value: (l) => day(l.row.resolvedAt) },
  { header: '解决情况', value: (l) => l.row.resolution },
];

export const PROBLEM_LEDGER_TITLE = '问题解决台账';

/** Streams the ledger of the problems the user may see that match; returns the number of rows. */
export function streamProblemLedger(user: CurrentUser, query: ProblemQuery, out: Writable, now = new Date()): Promise<number> {
  const today = chinaDay(now);
  const selected = selectProblems(user, query, today).reverse();
  const lines = selected.map((s) => ({ ...s, today }));
  return writeLedger(out, { title: PROBLEM_LEDGER_TITLE, columns, notes: [summaryOf(selected, today).text] }, lines);
}
