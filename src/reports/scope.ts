import { droppedStages, type Channel, type Field } from '../../workflows/vocabulary';
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

/**
 * Projects that dropped out (不予入库, 出库, 撤回) count in no figure, not even for
 * the rounds they went through before they left.
 */
export const countsInFigures = (row: ProjectRow) => !droppedStages.includes(row.stage);
