import { expect } from 'chai';
import { z } from 'zod';
import { useInputErrors } from '../workflows/input-errors';
import { messages } from '../workflows/messages';
import { yuan } from '../workflows/project-input';
import { rateAgainstPlan } from '../workflows/rating';
import { rules } from '../workflows/rules-file';
import { emptySchedule, type ScheduleState } from '../workflows/schedule';
import { monthlyReportInput, yearPlanInput } from '../workflows/schedule-input';
import { amountText, parseWan, percentText, wanInput } from '../workflows/units';

/**
 * What people read and type, as the domain core writes and reads it (issue "What people
 * stumble over in the browser", points 1–3): amounts in 万元 with decimals, amounts and
 * shares that never read the same as what they are compared with, and input errors in
 * the words of the form.
 */
describe('words people read and type (workflows/units.ts, messages.ts, input-errors.ts)', () => {
  it('reads 万元 as typed, exactly to the yuan, on the digits: decimals, separators, full-width digits', () => {
    expect(parseWan('11800.5')).to.equal(118_005_000);
    expect(parseWan('5000.2501')).to.equal(50_002_501);
    expect(parseWan('0.0001')).to.equal(1);
    expect(parseWan('１２,３４５.６７')).to.equal(123_456_700);
    expect(parseWan('')).to.equal(0);
    // Finer than a yuan keeps its fraction, and text that is no number is NaN: the amount schema refuses both.
    expect(Number.isInteger(parseWan('12.34567'))).to.equal(false);
    expect(Number.isNaN(parseWan('十二'))).to.equal(true);
    expect(yuan.safeParse(parseWan('12.34567')).error?.issues[0]?.message).to.equal(messages.amountPrecision);
    for (const yuanAmount of [0, 1, 10_000, 118_005_000, 50_002_501, 123_456_789_012]) expect(parseWan(wanInput(yuanAmount))).to.equal(yuanAmount);
    expect(wanInput(118_005_000)).to.equal('11800.5');
  });

  it('writes an amount in 万元, or 亿元 from one hundred million, and never two different amounts alike', () => {
    expect(amountText(50_000_000)).to.equal('5,000万元');
    expect(amountText(11_800_500)).to.equal('1,180.05万元');
    expect(amountText(118_005_000)).to.equal('1.18亿元');
    expect(amountText(55_000_000)).to.equal('5,500万元');
    expect(amountText(250_000_000)).to.equal('2.50亿元');
    // 10.00亿元 and 10.00亿元 would contradict "exceeds": the digits that tell them apart are added.
    expect(amountText(1_000_010_000, 1_000_000_000)).to.equal('10.0001亿元');
    expect(amountText(1_000_000_000, 1_000_010_000)).to.equal('10.0000亿元');
    expect(messages.overQuota(999_990_000, 12_000_000)).to.equal('累计发行 10.00亿元 将超过下达额度 1,200万元');
  });

  it('rounds a share for display only, with the decimals that keep it apart from its threshold', () => {
    expect(percentText(0.75)).to.equal('75%');
    expect(percentText(0.79965, 0.8)).to.equal('79.97%');
    expect(percentText(0.8, 0.79965)).to.equal('80%');
    expect(percentText(0.8, 0.8)).to.equal('80%');
  });

  it("gives a rating's reason in figures that agree with its comparison", () => {
    // A plan of 1,200万元 for 2026; by June half of it (600万元) is due, and 359.8万元 was completed: 59.97 %, red below 60 %.
    const schedule: ScheduleState = {
      ...emptySchedule(),
      plans: { 2026: { plannedInvestment: 12_000_000 } },
      months: Object.fromEntries(
        ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'].map((month, i) => [
          month,
          { completed: i === 5 ? 598_000 : 600_000, percent: 10, reportedOn: `${month}-28`, firstReportedOn: `${month}-28`, revisions: 1 },
        ]),
      ),
      startedOn: '2026-01-10',
    };
    const rated = rateAgainstPlan(schedule, '2026-06', '2026-07-20', rules);
    expect(rated.rating).to.equal('red');
    expect(rated.completionShare).to.be.within(0.5996, 0.5998);
    expect(rated.reason).to.contain('的59.97%，低于60%');
  });

  it('says what is wrong with a value in the words of the form, whatever the schema', () => {
    // As the service and the web app both install them.
    useInputErrors();
    const said = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map((issue) => issue.message);
    const report = { month: '2026-01', completedInvestment: 1, progressPercent: 5, progressNote: '场地平整' };
    expect(said(monthlyReportInput, { ...report, progressNote: '' })).to.deep.equal(['请填写形象进度说明']);
    expect(said(monthlyReportInput, { ...report, progressPercent: 120 })).to.deep.equal(['形象进度不能大于 100']);
    expect(said(monthlyReportInput, { ...report, startedOn: '2026-13-40' })).to.deep.equal(['实际开工日期应为 2000 年至 2099 年间的日期，格式如 2026-01-31']);
    expect(said(z.object({ stage: z.enum(['draft', 'reserve']) }), { stage: 'flying' })).to.deep.equal(['请选择阶段']);
    expect(said(z.object({ name: z.string().min(2).meta({ title: '单位名称' }) }), { name: 'x' })).to.deep.equal(['单位名称至少 2 个字']);
    // Messages a schema gives itself stand: they come from the catalogue too.
    expect(yearPlanInput.safeParse({ plannedInvestment: 1, plannedStart: '2026-05-01', plannedCompletion: '2026-04-01' }).error!.issues[0]!.message).to.equal(messages.completionBeforeStart);
    expect(monthlyReportInput.safeParse({ ...report, month: '2026-1' }).error!.issues[0]!.message).to.equal(messages.monthFormat);
  });
});
