/** The stages and events of docs/domain.md, written out independently of the machines that implement them. */

export type Who = 'owner' | 'staff' | 'owner or staff';
type Stage = string;
export type StageEvents = Record<string, { by: Who; to: Stage }>;

const sharedStages: Record<Stage, StageEvents> = {
  draft: { SUBMIT: { by: 'owner', to: 'reserve_review' }, WITHDRAW: { by: 'owner', to: 'withdrawn' } },
  reserve_review: {
    APPROVE: { by: 'staff', to: 'reserve' },
    RETURN: { by: 'staff', to: 'draft' },
    REJECT: { by: 'staff', to: 'rejected' },
  },
  reserve: { START_PRELIMINARY: { by: 'owner or staff', to: 'preliminary' }, REMOVE: { by: 'staff', to: 'removed' } },
  preliminary: { SUBMIT: { by: 'owner', to: 'application_review' }, WITHDRAW: { by: 'owner', to: 'withdrawn' } },
  application_review: { APPROVE: { by: 'staff', to: 'submitted' }, RETURN: { by: 'staff', to: 'preliminary' } },
  submitted: { RECORD_APPROVAL: { by: 'staff', to: 'approved' }, RECORD_REJECTION: { by: 'staff', to: 'reserve' } },
};
const deliveryStages: Record<Stage, StageEvents> = {
  implementation: {
    RECORD_DISBURSEMENT: { by: 'staff', to: 'implementation' },
    RECORD_PROGRESS: { by: 'staff', to: 'implementation' },
    COMPLETE: { by: 'staff', to: 'completed' },
  },
  completed: { EVALUATE: { by: 'staff', to: 'evaluated' } },
  evaluated: {},
  rejected: {},
  removed: {},
  withdrawn: {},
};

export const contract: Record<'central_budget' | 'special_bond', Record<Stage, StageEvents>> = {
  central_budget: {
    ...sharedStages,
    approved: { START_IMPLEMENTATION: { by: 'staff', to: 'implementation' } },
    ...deliveryStages,
  },
  special_bond: {
    ...sharedStages,
    approved: { RECORD_ISSUANCE: { by: 'staff', to: 'issued' } },
    issued: { RECORD_ISSUANCE: { by: 'staff', to: 'issued' }, START_IMPLEMENTATION: { by: 'staff', to: 'implementation' } },
    ...deliveryStages,
  },
};

export const domainStages = {
  central_budget: ['draft', 'reserve_review', 'reserve', 'preliminary', 'application_review', 'submitted', 'approved', 'implementation', 'completed', 'evaluated', 'rejected', 'removed', 'withdrawn'],
  special_bond: ['draft', 'reserve_review', 'reserve', 'preliminary', 'application_review', 'submitted', 'approved', 'issued', 'implementation', 'completed', 'evaluated', 'rejected', 'removed', 'withdrawn'],
};

export const allEvents = [...new Set(Object.values(contract.special_bond).flatMap((events) => Object.keys(events)))];
export const reviewStages = ['reserve_review', 'application_review'];

export const eventsFor = (events: StageEvents, role: string) =>
  Object.entries(events)
    .filter(([, { by }]) => by === role || (by === 'owner or staff' && (role === 'owner' || role === 'staff')))
    .map(([type]) => type);

