import type { Channel, Field } from '../../workflows/vocabulary';
import { catalogue, type ProjectRow } from '../projects/catalogue';
import { personId } from '../shared/schemas';

/** Which projects a report covers: the whole district, or one organisation, field, channel, responsible leader or member of staff. */
export interface ReportScope {
  orgId?: string;
  field?: Field;
  channel?: Channel;
  leaderId?: string;
  staffId?: string;
}

export const inScope = (scope: ReportScope) => (row: ProjectRow) =>
  (!scope.orgId || row.orgId === scope.orgId) &&
  (!scope.field || row.field === scope.field) &&
  (!scope.channel || row.channel === scope.channel) &&
  (!scope.leaderId || row.responsibility?.leaderId === scope.leaderId) &&
  (!scope.staffId || row.responsibility?.staffId === scope.staffId);

/** The catalogue rows in scope; a leader's come from the catalogue's index of who answers for what. */
export const rowsIn = (scope: ReportScope): ProjectRow[] =>
  (scope.leaderId ? catalogue.responsibleFor('leader', scope.leaderId) : catalogue.rows()).filter(inScope(scope));

/** A scope as asked for, with `me` read as the user asking. */
export const scopeFor = <S extends ReportScope>(user: { id: string }, scope: S): S => ({
  ...scope,
  ...(scope.leaderId ? { leaderId: personId(user, scope.leaderId) } : {}),
  ...(scope.staffId ? { staffId: personId(user, scope.staffId) } : {}),
});
