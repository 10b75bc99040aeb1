import type { ProjectState } from '../../workflows/project-state';
import { recordOf } from './catalogue';
import type { ProjectDoc } from './project.model';

/** A stored project as the domain core reads it (workflows/project-state.ts). */
export function projectStateOf(project: ProjectDoc): ProjectState {
  return {
    channel: project.channel,
    stage: project.stage,
    machineVersion: project.machineVersion,
    orgId: project.orgId.toString(),
    name: project.name,
    projectCode: project.projectCode ?? undefined,
    field: project.field,
    totalInvestment: project.totalInvestment,
    requestedAmount: project.requestedAmount,
    funding: project.funding,
    startYear: project.startYear,
    endYear: project.endYear,
    financing: project.financing ?? undefined,
    performanceTargets: project.performanceTargets ?? [],
    dossier: project.dossier ?? {},
    record: recordOf(project),
    round: project.round ?? undefined,
  };
}
