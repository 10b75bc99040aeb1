import type { Channel, Field } from '../../workflows/vocabulary';
import { catalogue, type ProjectRow } from '../projects/catalogue';

/** Which projects a report covers: the whole district, or one organisation, field or channel. */
export interface ReportScope {
  orgId?: string;
  field?: Field;
  channel?: Channel;
}

export const inScope = (scope: ReportScope) => (row: ProjectRow) =>
  (!scope.orgId || row.orgId === scope.orgId) && (!scope.field || row.field === scope.field) && (!scope.channel || row.channel === scope.channel);

/** The catalogue rows in scope. */
export const rowsIn = (scope: ReportScope): ProjectRow[] => catalogue.rows().filter(inScope(scope));
