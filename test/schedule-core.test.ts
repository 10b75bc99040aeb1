import { expect } from 'chai';
import { rateAgainstPlan } from '../workflows/rating';
import { rules } from '../workflows/rules-file';
import { advanceSchedule, currentScheduleMonth, emptySchedule, mustReport, reportDueOn, reportStatus, shiftMonth, type ScheduleState } from '../workflows/schedule';
import { redBlackFlags } from '../workflows/schedule-figures';

/** The scheduling rules of the domain core, as pure functions: due dates, the current month, ratings, flags. */
describe('scheduling rules (workflows/schedule.ts, rating.ts)', () => {
  it('moves a report due on a holiday to the next working day, and keeps one due on a 调休 Sunday', () => {
    // 5 October 2025 falls in the National Day holiday (1–8 October): due on Thursday the 9th.
    expect(reportDueOn('2025-09', rules)).to.equal('2025-10-09');
    // 5 April 2026 is 清明, a Sunday inside the 4–6 April holiday: due on Tuesday the 7th.
    expect(reportDueOn('2026-03', rules)).to.equal('2026-04-07');
    // With the 4th as due day, 4 January 2026 is a Sunday declared a working day (调休): due that Sunday.
    expect(reportDueOn('2025-12', { monthlyReports: { dueDay: 4 } })).to.equal('2026-01-04');
    // …and a plain Saturday moves to Monday: 4 July 2026.
    expect(reportDueOn('2026-06', { monthlyReports: { dueDay: 4 } })).to.equal('2026-07-06');
  });

  it('judges a report sent on its due day in time, and one sent the next day late, across the holiday', () => {
    const sentOn = (day: string): ScheduleState =>
      advanceSchedule(emptySchedule(), { event: 'MONTHLY_REPORT', day, data: { month: '2025-09', revision: 1, completedInvestment: 1, progressPercent: 1, progressNote: 'x' } });
    expect(reportStatus(sentOn('2025-10-09'), '2025-09', '2025-12-01', rules)).to.equal('on-time');
    expect(reportStatus(sentOn('2025-10-10'), '2025-09', '2025-12-01', rules)).to.equal('late');
    expect(reportStatus(emptySchedule(), '2025-09', '2025-10-09', rules)).to.equal('not-due');
    expect(reportStatus(emptySchedule(), '2025-09', '2025-10-10', rules)).to.equal('missing');
  });

  it('takes the figures of the latest month whose reports are all due', () => {
    // November's reports are due on Monday 7 December 2026 (the 5th is a Saturday).
    expect(currentScheduleMonth('2026-12-03', rules)).to.equal('2026-10');
    expect(currentScheduleMonth('2026-12-07', rules)).to.equal('2026-10');
    expect(currentScheduleMonth('2026-12-08', rules)).to.equal('2026-11');
    expect(currentScheduleMonth('2026-01-20', rules)).to.equal('2025-12');
  });

  it('counts months across years', () => {
    expect(shiftMonth('2025-12', 1)).to.equal('2026-01');
    expect(shiftMonth('2026-01', -1)).to.equal('2025-12');
    expect(shiftMonth('2026-03', -15)).to.equal('2024-12');
  });

  it('keeps the first day a month was reported through its corrections, and the newest figures', () => {
    let schedule = emptySchedule();
    const report = (day: string, revision: number, completedInvestment: number) =>
      (schedule = advanceSchedule(schedule, { event: 'MONTHLY_REPORT', day, data: { month: '2026-03', revision, completedInvestment, progressPercent: 10, progressNote: `第${revision}版` } }));
    report('2026-04-20', 1, 100);
    report('2026-04-25', 2, 300);
    expect(schedule.months['2026-03']).to.deep.include({ completed: 300, firstReportedOn: '2026-04-20', reportedOn: '2026-04-25', revisions: 2 });
    expect(schedule.latestNote).to.deep.equal({ month: '2026-03', text: '第2版' });
  });

  describe('红黄绿 against the plan pro rata to the month', () => {
    // A plan of 1,200 a year is 600 by June; reports for January–June all in time.
    const withCompleted = (june: number): ScheduleState => {
      let schedule = advanceSchedule(emptySchedule(), { event: 'PLAN', day: '2026-01-10', data: { year: 2026, plan: { plannedInvestment: 1200, plannedStart: '2025-06-01' } } });
      for (let m = 1; m <= 6; m++) {
        const month = `2026-0${m}`;
        const completedInvestment = m === 6 ? june : 0;
        schedule = advanceSchedule(schedule, { event: 'MONTHLY_REPORT', day: `2026-0${m + 1}-02`, data: { month, revision: 1, completedInvestment, progressPercent: 1, progressNote: 'x' } });
      }
      return schedule;
    };
    const cases: [number, string][] = [
      [600, 'green'],
      [540, 'green'], // exactly 90%
      [539, 'yellow'],
      [360, 'yellow'], // exactly 60%
      [359, 'red'],
    ];
    for (const [completed, rating] of cases) {
      it(`${completed} of 600 due is ${rating}`, () => {
        expect(rateAgainstPlan(withCompleted(completed), '2026-06', '2026-12-01', rules).rating).to.equal(rating);
      });
    }

    it('one missing report is yellow, two are red, and the reason names the months', () => {
      const plan = advanceSchedule(emptySchedule(), { event: 'PLAN', day: '2026-01-10', data: { year: 2026, plan: { plannedInvestment: 0, plannedStart: '2026-01-01' } } });
      const started = { ...plan, startedOn: '2026-01-02' };
      const oneMissing = advanceSchedule(started, { event: 'MONTHLY_REPORT', day: '2026-02-02', data: { month: '2026-01', revision: 1, completedInvestment: 0, progressPercent: 1, progressNote: 'x' } });
      expect(rateAgainstPlan(oneMissing, '2026-02', '2026-04-01', rules)).to.include({ rating: 'yellow' });
      const twoMissing = rateAgainstPlan(started, '2026-02', '2026-04-01', rules);
      expect(twoMissing.rating).to.equal('red');
      expect(twoMissing.reason).to.contain('1月、2月月报未报送');
    });

    it('rates nothing without a plan for the year, and says so', () => {
      const rating = rateAgainstPlan(emptySchedule(), '2026-06', '2026-12-01', rules);
      expect(rating.rating).to.equal(undefined);
      expect(rating.reason).to.equal('尚未制定2026年度计划，无法评定');
    });
  });

  it('gives 红旗 to the best units and 黑旗 to the worst, sharing few units out and ranking none without a plan', () => {
    const unit = (name: string, completionRate?: number) => ({ name, completionRate });
    const units = [unit('甲', 0.9), unit('乙', 0.2), unit('丙', 0.5), unit('丁'), unit('戊', 0.7)];
    const flags = redBlackFlags(units, 3, (a, b) => a.localeCompare(b, 'zh'));
    expect(flags.red.map((u) => u.name)).to.deep.equal(['甲', '戊']);
    expect(flags.black.map((u) => u.name)).to.deep.equal(['乙', '丙']);
    expect(redBlackFlags(units, 1, (a, b) => a.localeCompare(b, 'zh'))).to.deep.equal({ red: [unit('甲', 0.9)], black: [unit('乙', 0.2)] });
  });

  it('expects a report only for months it may be sent: the year has a plan or the works are under way', () => {
    // Started in 2025 under that year's plan; no plan for 2026.
    const started: ScheduleState = { ...emptySchedule(), plans: { 2025: { plannedInvestment: 1_000_000, plannedStart: '2025-03-01' } }, startedOn: '2025-03-10' };
    expect(mustReport(started, 'preliminary', '2025-11')).to.equal(true);
    expect(mustReport(started, 'preliminary', '2026-02')).to.equal(false);
    expect(mustReport(started, 'implementation', '2026-02')).to.equal(true);
  });
});
