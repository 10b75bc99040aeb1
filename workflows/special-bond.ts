import { deliveryStages, intakeStages, pipeline, stageOf, step } from './pipeline';

/**
 * 地方政府专项债券: NDRC and MoF review, the province allocates a quota (额度),
 * then bonds are issued in batches; only the amounts issued are funds secured,
 * and their sum never exceeds the quota. The project must balance financing and
 * revenue (融资收益平衡) before it is put forward.
 */
const issue = step('issued', ['byStaff', 'issuanceWithinQuota'], ['recordIssuance']);

export const specialBondV1 = pipeline.createMachine({
  id: 'special_bond',
  version: '1',
  initial: 'draft',
  context: ({ input }) => input,
  states: {
    ...intakeStages('special_bond', ['yiJianSanZhengIfRequired', 'fundingAddsUp', 'coverageReached']),
    approved: stageOf('special_bond', 'approved', {
      on: { RECORD_ISSUANCE: issue },
    }),
    issued: stageOf('special_bond', 'issued', {
      on: {
        RECORD_ISSUANCE: issue,
        START_IMPLEMENTATION: step('implementation', ['byStaff']),
      },
    }),
    ...deliveryStages('special_bond'),
  },
});

/** Version 2: the project carries its 项目代码 before it applies, when the settings require it (docs/domain.md, "The national project code"). */
export const specialBondV2 = pipeline.createMachine({
  id: 'special_bond',
  version: '2',
  initial: 'draft',
  context: ({ input }) => input,
  states: {
    ...intakeStages('special_bond', ['projectCodeIfRequired', 'yiJianSanZhengIfRequired', 'fundingAddsUp', 'coverageReached']),
    approved: stageOf('special_bond', 'approved', {
      on: { RECORD_ISSUANCE: issue },
    }),
    issued: stageOf('special_bond', 'issued', {
      on: {
        RECORD_ISSUANCE: issue,
        START_IMPLEMENTATION: step('implementation', ['byStaff']),
      },
    }),
    ...deliveryStages('special_bond'),
  },
});
