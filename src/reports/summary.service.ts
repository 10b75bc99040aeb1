import { amountText } from '../../workflows/units';
import { channelShortLabels, type Channel } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';
import { fundsByYear, type FundsRow } from './funds.service';
import { reviewTimeliness } from './review-history';
import type { ReportScope } from './scope';
import { yearOf } from './units';

/**
 * The paragraph a bureau puts in its yearly report (docs/domain.md, "What leaders and the public see": "争取到位中央预算内
 * 资金项目X个、资金X亿元；专项债券项目X个、X亿元"), written from the figures
 * alone: every number in it is one the stats endpoints give for the same scope.
 */

function rowOf(rows: FundsRow[], year: number, channel: Channel): FundsRow {
  return rows.find((r) => r.year === year && r.channel === channel)!;
}

function securedSentence(rows: FundsRow[], year: number): string {
  const central = rowOf(rows, year, 'central_budget');
  const bond = rowOf(rows, year, 'special_bond');
  return (
    `争取到位中央预算内资金项目${central.securedCount}个、资金${amountText(central.securedAmount)}；` +
    `专项债券项目${bond.securedCount}个、${amountText(bond.securedAmount)}。`
  );
}

function appliedSentence(rows: FundsRow[], year: number): string {
  const central = rowOf(rows, year, 'central_budget');
  const bond = rowOf(rows, year, 'special_bond');
  return (
    `向上申报中央预算内资金项目${central.appliedCount}个、申请资金${amountText(central.appliedAmount)}，` +
    `专项债券项目${bond.appliedCount}个、申请${amountText(bond.appliedAmount)}。`
  );
}

/** How a figure moved from last year: by how much, in its own words (`format`), and by what share. */
function change(now: number, before: number, format: (n: number) => string): string {
  if (now === before) return '持平';
  const direction = now > before ? '增加' : '减少';
  const rate = before > 0 ? `（${now > before ? '增长' : '下降'}${((Math.abs(now - before) / before) * 100).toFixed(1)}%）` : '';
  return `${direction}${format(Math.abs(now - before))}${rate}`;
}

function comparisonSentence(rows: FundsRow[], year: number, current: boolean): string {
  const parts = (['central_budget', 'special_bond'] as const).map((channel) => {
    const now = rowOf(rows, year, channel);
    const before = rowOf(rows, year - 1, channel);
    if (now.securedAmount === 0 && before.securedAmount === 0) return `${channelShortLabels[channel]}两年均无到位资金`;
    return (
      `${channelShortLabels[channel]}到位资金${change(now.securedAmount, before.securedAmount, (yuan) => amountText(yuan))}，` +
      `项目${change(now.securedCount, before.securedCount, (count) => `${count}个`)}`
    );
  });
  return `与${year - 1}年${current ? '全年' : ''}相比，${parts.join('；')}。`;
}

function reviewSentence(reviews: ReturnType<typeof reviewTimeliness>, current: boolean): string {
  const finished = reviews.finished
    ? `办结入库审核和申报审核${reviews.finished}件，其中超过办理时限${reviews.finishedLate}件`
    : '无办结的入库审核和申报审核';
  const open = current ? `；目前在审且已超过时限的${reviews.openOverdue}件` : '';
  return `本年${finished}${open}。`;
}

function dateText(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export function yearSummary(year: number, scope: ReportScope, now = new Date()) {
  const today = chinaDay(now);
  const current = yearOf(today) === year;
  const funds = fundsByYear({ from: year - 1, to: year }, scope);
  const reviews = reviewTimeliness(year, scope, now);
  // The date names the year already: it is written once.
  const opening = current ? `截至${dateText(today)}，` : `${year}年，`;
  const text = [
    opening + securedSentence(funds, year),
    appliedSentence(funds, year),
    comparisonSentence(funds, year, current),
    reviewSentence(reviews, current),
  ].join('');
  return { year, asOf: today, text, funds, reviews };
}
