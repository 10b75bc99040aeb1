import { deliveryStages, intakeStages, pipeline, stageOf, step } from './pipeline';

/**
 * 中央预算内投资: NDRC releases the annual investment plan (投资计划下达);
 * the released amount is the funds secured, and works start.
 */
export const centralBudgetV1 = pipeline.createMachine({
  id: 'central_budget',
  version: '1',
  initial: 'draft',
  context: ({ input }) => input,
  states: {
    ...intakeStages('central_budget', ['yiJianSanZhengIfRequired', 'fundingAddsUp']),
    approved: stageOf('central_budget', 'approved', {
      on: { START_IMPLEMENTATION: step('implementation', ['byStaff']) },
    }),
    ...deliveryStages('central_budget'),
  },
});

/** Version 2: the project carries its 项目代码 before it applies, when the settings require it (docs/domain.md, "The national project code"). */
export const centralBudgetV2 = pipeline.createMachine({
  id: 'central_budget',
  version: '2',
  initial: 'draft',
  context: ({ input }) => input,
  states: {
    ...intakeStages('central_budget', ['projectCodeIfRequired', 'yiJianSanZhengIfRequired', 'fundingAddsUp']),
    approved: stageOf('central_budget', 'approved', {
      on: { START_IMPLEMENTATION: step('implementation', ['byStaff']) },
    }),
    ...deliveryStages('central_budget'),
  },
});
