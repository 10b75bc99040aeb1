import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { addWorkingDays, chinaDay, isWorkingDay, workingDaysBetween } from '../workflows/working-days';

/** An instant at `time` Beijing time (UTC+8) on `day`. */
const beijing = (day: string, time = '10:00'): Date => new Date(`${day}T${time}:00+08:00`);

describe('working days on the China official calendar', () => {
  describe('a plain week (March 2025, no holidays)', () => {
    it('counts Monday to Friday and skips the weekend', () => {
      expect(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'].map(isWorkingDay)).to.deep.equal([
        true,
        true,
        true,
        true,
        true,
      ]);
      expect(isWorkingDay('2025-03-15')).to.equal(false);
      expect(isWorkingDay('2025-03-16')).to.equal(false);
    });

    it('counts from the next day: 1 working day from a Friday is due on Monday', () => {
      expect(addWorkingDays(beijing('2025-03-14'), 1)).to.equal('2025-03-17');
      expect(addWorkingDays(beijing('2025-03-10'), 5)).to.equal('2025-03-17');
      expect(addWorkingDays(beijing('2025-03-10'), 0)).to.equal('2025-03-10');
    });

    it('counts elapsed working days after the start day up to and including the end day', () => {
      expect(workingDaysBetween(beijing('2025-03-10'), beijing('2025-03-14'))).to.equal(4);
      expect(workingDaysBetween(beijing('2025-03-10'), beijing('2025-03-17'))).to.equal(5);
      expect(workingDaysBetween(beijing('2025-03-14'), beijing('2025-03-16'))).to.equal(0);
      expect(workingDaysBetween(beijing('2025-03-10', '08:00'), beijing('2025-03-10', '18:00'))).to.equal(0);
      expect(workingDaysBetween(beijing('2025-03-17'), beijing('2025-03-10'))).to.equal(0);
    });
  });

  describe('Spring Festival 2026 (Feb 15–23 off; Sat Feb 14 and Sat Feb 28 worked)', () => {
    it('treats the holiday weekdays as days off', () => {
      expect(isWorkingDay('2026-02-13')).to.equal(true);
      for (let d = 15; d <= 23; d++) expect(isWorkingDay(`2026-02-${d}`), `2026-02-${d}`).to.equal(false);
      expect(isWorkingDay('2026-02-24')).to.equal(true);
    });

    it('moves a due date across the holiday', () => {
      // Friday Feb 13 + 1 → the make-up Saturday; + 2 → the first day back.
      expect(addWorkingDays(beijing('2026-02-13'), 1)).to.equal('2026-02-14');
      expect(addWorkingDays(beijing('2026-02-13'), 2)).to.equal('2026-02-24');
      // Feb 12 + 5 working days: 13, 14 (Sat), 24, 25, 26.
      expect(addWorkingDays(beijing('2026-02-12'), 5)).to.equal('2026-02-26');
      // Feb 13 + 6 working days: 14, 24, 25, 26, 27, 28 (Sat).
      expect(addWorkingDays(beijing('2026-02-13'), 6)).to.equal('2026-02-28');
      expect(workingDaysBetween(beijing('2026-02-13'), beijing('2026-02-28'))).to.equal(6);
      expect(workingDaysBetween(beijing('2026-02-14'), beijing('2026-02-23'))).to.equal(0);
    });

    it('also spans Spring Festival 2025 (Jan 28–Feb 4 off; Sun Jan 26 and Sat Feb 8 worked)', () => {
      // Jan 24 + 3 working days: 26 (Sun), 27, then Feb 5.
      expect(addWorkingDays(beijing('2025-01-24'), 3)).to.equal('2025-02-05');
      expect(workingDaysBetween(beijing('2025-01-24'), beijing('2025-02-08'))).to.equal(6);
    });
  });

  describe('调休 make-up working days', () => {
    it('counts a make-up Saturday or Sunday as a working day', () => {
      expect(isWorkingDay('2026-02-28')).to.equal(true); // Saturday, Spring Festival make-up
      expect(isWorkingDay('2026-09-20')).to.equal(true); // Sunday, National Day make-up
      expect(isWorkingDay('2026-10-10')).to.equal(true); // Saturday, National Day make-up
      expect(isWorkingDay('2026-10-07')).to.equal(false); // Wednesday, National Day
      expect(isWorkingDay('2026-10-11')).to.equal(false); // an ordinary Sunday
    });

    it('counts a due date onto a make-up Saturday', () => {
      // Fri Oct 9 2026 + 1 working day → Sat Oct 10.
      expect(addWorkingDays(beijing('2026-10-09'), 1)).to.equal('2026-10-10');
    });

    it('has the official calendar for every year from 2020 to 2026', () => {
      // National Day falling on a weekday, one per year.
      for (const day of ['2020-10-01', '2021-10-01', '2022-10-03', '2023-10-02', '2024-10-01', '2025-10-01', '2026-10-01']) {
        expect(isWorkingDay(day), day).to.equal(false);
      }
      // New Year 2023 was Dec 31–Jan 2 only: Tuesday Jan 3 was a working day.
      expect(isWorkingDay('2023-01-03')).to.equal(true);
    });

    it('follows later State Council changes (2020 Spring Festival extended to Feb 2, make-up Feb 1 cancelled)', () => {
      expect(isWorkingDay('2020-01-31')).to.equal(false);
      expect(isWorkingDay('2020-02-01')).to.equal(false);
      expect(isWorkingDay('2020-02-03')).to.equal(true);
    });
  });

  describe('days are taken in Beijing time', () => {
    it('puts a late-night UTC instant on the next day', () => {
      expect(chinaDay(new Date('2026-02-13T15:59:59Z'))).to.equal('2026-02-13');
      expect(chinaDay(new Date('2026-02-13T16:30:00Z'))).to.equal('2026-02-14');
      expect(chinaDay(new Date('2025-12-31T16:00:00Z'))).to.equal('2026-01-01');
    });

    it('counts from the Beijing day of the start instant', () => {
      // 23:59:59 on Fri Feb 13 in Beijing: next working day is Sat Feb 14.
      expect(addWorkingDays(new Date('2026-02-13T15:59:59Z'), 1)).to.equal('2026-02-14');
      // Still Feb 13 in UTC, but already Sat Feb 14 in Beijing: counting starts on Feb 15.
      expect(addWorkingDays(new Date('2026-02-13T16:30:00Z'), 1)).to.equal('2026-02-24');
      expect(workingDaysBetween(new Date('2026-02-13T16:30:00Z'), new Date('2026-02-23T16:30:00Z'))).to.equal(1);
    });

    it('gives the same answers whatever the server time zone', function () {
      this.timeout(20_000);
      // A fresh process per zone, so that anything computed at module load runs in that zone too.
      const moduleUrl = new URL('../workflows/working-days.ts', import.meta.url).href;
      const script = `
        const m = await import(${JSON.stringify(moduleUrl)});
        console.log(JSON.stringify([
          ['2026-02-13', '2026-02-14', '2026-02-15', '2026-02-23', '2026-02-24', '2026-09-20', '2026-10-10'].map(m.isWorkingDay),
          m.addWorkingDays(new Date('2026-02-13T16:30:00Z'), 1),
          m.addWorkingDays(new Date('2026-02-13T10:00:00+08:00'), 1),
          m.workingDaysBetween(new Date('2026-02-13T10:00:00+08:00'), new Date('2026-02-28T10:00:00+08:00')),
          m.chinaDay(new Date('2026-02-13T16:30:00Z')),
        ]));`;
      const expected = [[true, true, false, false, true, true, true], '2026-02-24', '2026-02-14', 6, '2026-02-14'];
      for (const tz of ['America/Los_Angeles', 'UTC', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, TZ: tz },
          encoding: 'utf8',
        });
        expect(JSON.parse(out), tz).to.deep.equal(expected);
      }
    });
  });

  describe('input checks', () => {
    it('rejects malformed or impossible days', () => {
      expect(() => isWorkingDay('2026-02-30')).to.throw(RangeError);
      expect(() => isWorkingDay('2026-2-3')).to.throw(RangeError);
      expect(() => isWorkingDay('2026-02-03T00:00:00Z')).to.throw(RangeError);
    });

    it('rejects invalid dates and day counts', () => {
      expect(() => chinaDay(new Date('nonsense'))).to.throw(RangeError);
      expect(() => addWorkingDays(beijing('2026-02-13'), -1)).to.throw(RangeError);
      expect(() => addWorkingDays(beijing('2026-02-13'), 1.5)).to.throw(RangeError);
    });
  });
});
