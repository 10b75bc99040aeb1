import { expect } from 'chai';
import { rules } from '../workflows/rules-file';
import { advanceRound, ceilingRefusal, draftRefusal, draftTotals, leaveRefusal, roundReadiness, rollingYearOf } from '../workflows/rounds';

/** The rules of rounds and plan drafts in the domain core, as pure functions (docs/domain.md, "Application rounds"). */
describe('round and plan-draft rules (workflows/rounds.ts)', () => {
  const round = { id: 'r1', name: '2026年第二批中央预算内投资', channel: 'central_budget' as const, status: 'open' as const };
  const project = { channel: 'central_budget' as const, stage: 'reserve' as const, requestedAmount: 40_000_000 };

  it('says why a project cannot join a draft, naming the field', () => {
    expect(draftRefusal(round, project, 40_000_000)).to.equal(undefined);
    expect(draftRefusal({ ...round, status: 'closed' }, project, 1)?.message).to.equal('申报批次“2026年第二批中央预算内投资”已关闭，不能再调整');
    expect(draftRefusal(round, { ...project, channel: 'special_bond' }, 1)?.message).to.equal('申报批次“2026年第二批中央预算内投资”只收中央预算内投资项目');
    expect(draftRefusal(round, { ...project, stage: 'draft' }, 1)?.message).to.match(/^项目处于“谋划（草稿）”阶段，不能编入或移出申报批次/);
    expect(draftRefusal(round, { ...project, stage: 'submitted', round: { roundId: 'r0', amount: 1 } }, 1, '2026年第一批')?.message).to.equal('项目已上报，属于申报批次“2026年第一批”，不能改编入其他批次');
    expect(draftRefusal(round, project, 40_000_001)).to.deep.equal({ path: 'amount', message: '本次申请金额（4,000.0001万元）不能超过项目的申请资金（4,000万元）' });
  });

  it('lets a project leave only the open round it is in, before it went up', () => {
    const member = { ...project, round: { roundId: 'r1', amount: 1 } };
    expect(leaveRefusal(round, member)).to.equal(undefined);
    expect(leaveRefusal(round, project)).to.equal('项目不在本批次的计划草案中');
    expect(leaveRefusal(round, { ...member, stage: 'submitted' })).to.equal('项目已上报，本批次中的申请金额不能再调整');
  });

  it('adds the draft up against the ceiling, refusing a total above it and not one equal to it', () => {
    expect(draftTotals([30, 20], 60)).to.deep.equal({ total: 50, ceiling: 60, left: 10, over: false });
    expect(draftTotals([30, 20], undefined)).to.deep.equal({ total: 50, ceiling: undefined, left: undefined, over: false });
    expect(ceilingRefusal(50_000_000, 50_000_000)).to.equal(undefined);
    expect(ceilingRefusal(55_000_000, 50_000_000)).to.equal('计划草案合计 5,500万元，超过上级下达的控制额度 5,000万元，未保存');
    expect(ceilingRefusal(1, undefined)).to.equal(undefined);
  });

  it('folds ROUND entries into the round a project is in', () => {
    const joined = advanceRound(undefined, { event: 'ROUND', data: { roundId: 'r1', amount: 5 } });
    expect(joined).to.deep.equal({ roundId: 'r1', amount: 5 });
    expect(advanceRound(joined, { event: 'EDIT', data: {} })).to.equal(joined);
    expect(advanceRound(joined, { event: 'ROUND', data: { roundId: null, before: joined } })).to.equal(undefined);
  });

  it('reads readiness from the dossier and the coverage, with the gaps in words', () => {
    const accepted = Object.fromEntries([...rules.requiredDocuments.special_bond.preliminary, ...rules.yiJianSanZheng.documents].map((type) => [type, 'accepted' as const]));
    const ready = roundReadiness({ channel: 'special_bond', dossier: accepted, financing: { projectedRevenue: 150, debtService: 100 } }, rules);
    expect(ready).to.include({ ready: true, dossierComplete: true });
    expect(ready.gaps).to.deep.equal([]);
    const short = roundReadiness({ channel: 'special_bond', dossier: {}, financing: { projectedRevenue: 100, debtService: 100 } }, rules);
    expect(short.ready).to.equal(false);
    expect(short.gaps).to.have.length(3);
    expect(short.gaps[1]).to.equal(`本息覆盖倍数 1 未达到 ${rules.coverageThreshold}`);
  });

  it('places a reserve project in the rolling plan by its planned year, a past year in the first', () => {
    expect(rollingYearOf(2027, 2026)).to.equal(2027);
    expect(rollingYearOf(2024, 2026)).to.equal(2026);
    expect(rollingYearOf(undefined, 2026)).to.equal(undefined);
  });
});
