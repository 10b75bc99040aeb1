import { expect } from 'chai';
import fc from 'fast-check';
import { affordances } from '../workflows/affordances';
import { decide } from '../workflows/decide';
import { currentMachineVersion } from '../workflows/machines';
import { emptyRecord, type DocumentState, type ProjectState } from '../workflows/project-state';
import { roles, type Role } from '../workflows/roles';
import { rules } from '../workflows/rules-file';
import type { Channel, Stage } from '../workflows/vocabulary';
import { allEvents, contract, eventsFor } from './support/contract';

/**
 * The domain core asked directly, without the server: every stage × role ×
 * event of both channels against the contract table, and, for generated
 * projects, that what `affordances` offers is exactly what `decide` takes.
 */
const ORG = 'org-1';
const actorOf = (role: Role) => ({ id: `u-${role}`, role, orgId: role === 'owner' ? ORG : undefined });

const targets = [
  { category: 'output' as const, name: '产出', weight: 50, target: '100%' },
  { category: 'effect' as const, name: '效益', weight: 50, target: '≥90%' },
];

/** A project that meets every state guard: all documents accepted, funding adds up, coverage reached, money to spend. */
function readyProject(channel: Channel, stage: Stage): ProjectState {
  const dossier = Object.fromEntries(Object.keys(rules.documentTypes).map((t) => [t, 'accepted' as DocumentState]));
  return {
    channel,
    stage,
    machineVersion: currentMachineVersion(channel),
    orgId: ORG,
    name: '测试项目',
    projectCode: '2025-330102-76-01-000001',
    field: 'water',
    totalInvestment: 100_000_000,
    requestedAmount: 40_000_000,
    funding: { centralBudget: channel === 'central_budget' ? 40_000_000 : 0, specialBond: channel === 'special_bond' ? 40_000_000 : 0, localFiscal: 60_000_000, selfRaised: 0, other: 0 },
    startYear: 2025,
    endYear: 2027,
    financing: { projectedRevenue: 150, debtService: 100 },
    performanceTargets: targets,
    dossier,
    record: {
      ...emptyRecord(),
      approval: { amount: 40_000_000, year: 2025, docNo: '发改投资〔2025〕1号', date: '2025-06-01' },
      issuances: channel === 'special_bond' ? [{ batch: '一批', bondCode: 'B1', amount: 10_000_000, termYears: 10, rate: 2.5, issueDate: '2025-07-01', year: 2025 }] : [],
    },
  };
}

/** Data each event takes, valid and within the project's limits. */
const validData: Record<string, unknown> = {
  RECORD_APPROVAL: { amount: 40_000_000, year: 2025, docNo: '发改投资〔2025〕1号', date: '2025-06-01' },
  RECORD_ISSUANCE: { batch: '二批', bondCode: 'B2', amount: 1_000_000, termYears: 10, rate: 2.5, issueDate: '2025-08-01' },
  RECORD_DISBURSEMENT: { amount: 1_000_000, date: '2025-09-01' },
  RECORD_PROGRESS: { percent: 30, note: '主体施工' },
  COMPLETE: { date: '2027-10-01' },
  EVALUATE: { scores: [{ name: '产出', score: 90 }, { name: '效益', score: 90 }] },
};

const eventOf = (type: string, role: Role, extra: { reason?: string; data?: unknown } = {}) => ({
  type,
  actor: actorOf(role),
  at: '2026-03-02T02:00:00.000Z',
  day: '2026-03-02',
  reason: '理由',
  data: validData[type],
  ...extra,
});

describe('the domain core (workflows/)', () => {
  describe('every stage × role × event of both channels, against the contract', () => {
    for (const channel of ['central_budget', 'special_bond'] as const) {
      for (const [stage, accepted] of Object.entries(contract[channel])) {
        it(`${channel} in ${stage}`, () => {
          const project = readyProject(channel, stage as Stage);
          for (const role of roles) {
            const offered = affordances(project, actorOf(role), rules).events.map((e) => e.type);
            expect(offered, `${role} offered`).to.have.members(eventsFor(accepted, role));
            for (const type of allEvents) {
              const decision = decide(project, eventOf(type, role), rules);
              const where = `${type} by ${role}: ${JSON.stringify(decision)}`;
              if (!(type in accepted)) {
                expect(decision.ok || decision.refusal.kind, where).to.equal('illegal');
              } else if (eventsFor(accepted, role).includes(type)) {
                expect(decision.ok, where).to.equal(true);
                if (decision.ok) expect(decision.to, where).to.equal(accepted[type]!.to);
              } else {
                expect(decision.ok || decision.refusal.kind, where).to.equal('forbidden');
              }
            }
          }
        });
      }
    }
  });

  describe('decide', () => {
    it('grades weights 50/50 with scores 59.9 and 60 as 60.0 中: the total is rounded before it is graded', () => {
      const decision = decide(readyProject('central_budget', 'completed'), eventOf('EVALUATE', 'staff', { data: { scores: [{ name: '产出', score: 59.9 }, { name: '效益', score: 60 }] } }), rules);
      expect(decision.ok && decision.record.evaluation).to.include({ total: 60, grade: '中' });
    });

    it('gives every reason at once, each guard evaluated once', () => {
      const project = { ...readyProject('special_bond', 'preliminary'), dossier: {}, financing: { projectedRevenue: 100, debtService: 100 } };
      const decision = decide(project, eventOf('SUBMIT', 'owner'), rules);
      expect(decision.ok).to.equal(false);
      if (decision.ok || decision.refusal.kind !== 'blocked') throw new Error('expected blocked');
      const kinds = decision.refusal.failures.map((f) => (f.kind === 'invalid' ? f.path : f.kind));
      expect(kinds).to.have.members(['missing', 'financing']);
    });

    it('stores data as validated: unknown keys dropped, strings trimmed; data on an event that takes none is refused', () => {
      const project = readyProject('central_budget', 'implementation');
      const progress = decide(project, eventOf('RECORD_PROGRESS', 'staff', { data: { percent: 40, note: '  路基完成  ', $where: 'x', extra: { deep: 1 } } }), rules);
      expect(progress.ok && progress.data).to.deep.equal({ percent: 40, note: '路基完成' });
      const approve = decide(readyProject('central_budget', 'reserve_review'), eventOf('APPROVE', 'staff', { data: { anything: 1 } }), rules);
      expect(approve.ok || approve.refusal.kind).to.equal('blocked');
    });

    it('refuses an issuance over the quota in 万元, and a disbursement over the funds secured', () => {
      const bond = readyProject('special_bond', 'issued');
      const over = decide(bond, eventOf('RECORD_ISSUANCE', 'staff', { data: { ...(validData.RECORD_ISSUANCE as object), amount: 30_000_001 } }), rules);
      expect(JSON.stringify(over)).to.include('累计发行 4,000.0001万元 将超过下达额度 4,000万元');
      const spend = decide(readyProject('special_bond', 'implementation'), eventOf('RECORD_DISBURSEMENT', 'staff', { data: { amount: 10_000_001, date: '2025-09-01' } }), rules);
      expect(spend.ok || spend.refusal.kind).to.equal('blocked');
    });
  });

  describe('affordances', () => {
    it('gives the limits the guards will check: quota and funds left, the targets to score', () => {
      const issued = affordances(readyProject('special_bond', 'issued'), actorOf('staff'), rules);
      expect(issued.events.find((e) => e.type === 'RECORD_ISSUANCE')!.limits.maxAmount).to.equal(30_000_000);
      const implementation = affordances(readyProject('special_bond', 'implementation'), actorOf('staff'), rules);
      expect(implementation.events.find((e) => e.type === 'RECORD_DISBURSEMENT')!.limits.maxAmount).to.equal(10_000_000);
      const completed = affordances(readyProject('central_budget', 'completed'), actorOf('staff'), rules);
      expect(completed.events[0]!.limits.targets!.map((t) => t.name)).to.deep.equal(['产出', '效益']);
    });

    it('says which events need a reason and which send a project back or out', () => {
      const review = affordances(readyProject('central_budget', 'reserve_review'), actorOf('staff'), rules).events;
      expect(review.map((e) => [e.type, e.needsReason, e.danger])).to.deep.equal([
        ['APPROVE', false, false],
        ['RETURN', true, true],
        ['REJECT', true, true],
      ]);
    });

    it('closes every final stage: no events, no edits, no files, no reviews, for anyone', () => {
      for (const stage of ['evaluated', 'rejected', 'removed', 'withdrawn'] as const) {
        for (const role of roles) {
          const allowed = affordances(readyProject('central_budget', stage), actorOf(role), rules);
          expect([allowed.events.length, allowed.mayEdit, allowed.mayUpload, allowed.mayReview], `${role} in ${stage}`).to.deep.equal([0, false, false, false]);
        }
      }
    });
  });

  describe('property: what the web app offers is what the server takes', () => {
    const stageOf = (channel: Channel) => fc.constantFrom(...(Object.keys(contract[channel]) as Stage[]));
    const documentState = fc.constantFrom<DocumentState>('missing', 'pending', 'accepted', 'rejected');
    const project = fc.constantFrom<Channel>('central_budget', 'special_bond').chain((channel) =>
      fc.record({
        channel: fc.constant(channel),
        stage: stageOf(channel),
        dossier: fc.dictionary(fc.constantFrom(...Object.keys(rules.documentTypes)), documentState),
        fundingGap: fc.constantFrom(0, 0, 1),
        coverage: fc.option(fc.double({ min: 0.5, max: 2, noNaN: true }), { nil: undefined }),
        quota: fc.integer({ min: 0, max: 50_000_000 }),
        issued: fc.integer({ min: 0, max: 50_000_000 }),
        disbursed: fc.integer({ min: 0, max: 50_000_000 }),
        hasTargets: fc.boolean(),
      }),
    );

    interface Generated {
      channel: Channel;
      stage: Stage;
      dossier: Record<string, DocumentState>;
      fundingGap: number;
      coverage?: number;
      quota: number;
      issued: number;
      disbursed: number;
      hasTargets: boolean;
    }

    function build(p: Generated): ProjectState {
      const base = readyProject(p.channel, p.stage);
      const issued = Math.min(p.issued, p.quota);
      const secured = p.channel === 'special_bond' ? issued : p.quota;
      return {
        ...base,
        dossier: p.dossier,
        totalInvestment: base.totalInvestment + p.fundingGap,
        financing: p.coverage === undefined ? undefined : { projectedRevenue: Math.round(p.coverage * 1000), debtService: 1000 },
        performanceTargets: p.hasTargets ? targets : [],
        record: {
          ...emptyRecord(),
          approval: { amount: p.quota, year: 2025, docNo: '文号', date: '2025-06-01' },
          issuances: p.channel === 'special_bond' && issued > 0 ? [{ batch: '一批', bondCode: 'B1', amount: issued, termYears: 10, rate: 2.5, issueDate: '2025-07-01', year: 2025 }] : [],
          disbursements: Math.min(p.disbursed, secured) > 0 ? [{ amount: Math.min(p.disbursed, secured), date: '2025-08-01' }] : [],
        },
      };
    }

    it('an offered, unblocked event with data within its limits is taken; over the limit, blocked or not offered, it is refused', () => {
      fc.assert(
        fc.property(project, fc.constantFrom(...roles), fc.integer({ min: 1, max: 60_000_000 }), (generated, role, amount) => {
          const state = build(generated);
          const offered = affordances(state, actorOf(role), rules).events;
          for (const type of allEvents) {
            const offer = offered.find((e) => e.type === type);
            const max = offer?.limits.maxAmount;
            const data = max === undefined ? validData[type] : { ...(validData[type] as object), amount };
            const decision = decide(state, eventOf(type, role, { data }), rules);
            const takes = offer !== undefined && offer.blockers.length === 0 && (max === undefined || amount <= max);
            expect(decision.ok, `${role} ${type} in ${state.channel}/${state.stage}: ${JSON.stringify({ offer, decision })}`).to.equal(takes);
          }
        }),
        { numRuns: 400 },
      );
    });
  });
});
