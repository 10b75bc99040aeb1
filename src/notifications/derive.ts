import { documentTypeLabel } from '../../workflows/dossier';
import type { NotificationContent, ProjectSubject } from '../../workflows/notifications';
import { rules } from '../../workflows/rules-file';
import type { Stage } from '../../workflows/vocabulary';
import { RESPONSIBILITY_EVENT, type ResponsibilityEntryData } from '../../workflows/responsibility';
import type { ProjectRow } from '../projects/catalogue';
import type { HistoryEntry } from '../projects/project.model';
import type { DirectoryEntry } from '../accounts/accounts.service';
import { noticesFor, type Notice } from './notice';
import { namedUser, reviewers, usersOfUnit } from './recipients';

/** What the entries that notify carry in `data` (src/dossier). */
interface UploadData {
  docType: string;
  version: number;
  fileName: string;
}
interface ReviewData {
  docType: string;
  version: number;
  decision: 'accepted' | 'rejected';
}

/** Entries that turn a project back or out: its unit must know. */
const setbacks = new Set(['REJECT', 'REMOVE', 'RECORD_REJECTION']);

/**
 * The notifications one committed history entry makes (docs/domain.md,
 * "Notifications"); `source` is the entry's key. A pure function of the entry
 * and the project, so deriving it again after a restart makes the same ones.
 */
export function noticesOfEntry(project: ProjectRow, entry: HistoryEntry, source: string): Notice[] {
  const about: ProjectSubject = { projectId: project.id, projectName: project.name, channel: project.channel };
  const to = (users: DirectoryEntry[], content: NotificationContent) => noticesFor(users, { source, content, orgId: project.orgId, at: entry.at }, entry.actorId);
  const by = entry.actorName;

  if (entry.event === 'DOCUMENT_UPLOAD') {
    const data = entry.data as UploadData;
    const document = documentTypeLabel(rules, data.docType);
    return to(reviewers(project), { kind: 'document_review', subject: { ...about, document, version: data.version, fileName: data.fileName, by } });
  }
  if (entry.event === 'DOCUMENT_REVIEW' && (entry.data as ReviewData).decision === 'rejected') {
    const data = entry.data as ReviewData;
    const document = documentTypeLabel(rules, data.docType);
    return to(usersOfUnit(project.orgId), { kind: 'document_rejected', subject: { ...about, document, version: data.version, by, reason: entry.reason } });
  }
  if (entry.event === 'RETURN') {
    return to(usersOfUnit(project.orgId), { kind: 'project_returned', subject: { ...about, stage: entry.to as Stage, by, reason: entry.reason } });
  }
  if (entry.event === RESPONSIBILITY_EVENT) {
    // A leader newly named answers for the project from now on (包联项目).
    const named = (entry.data as ResponsibilityEntryData).changes.find((change) => change.field === 'leaderId' && change.to);
    return named ? to(namedUser(String(named.to), 'leader'), { kind: 'leader_assigned', subject: { ...about, by } }) : [];
  }
  if (setbacks.has(entry.event)) {
    return to(usersOfUnit(project.orgId), { kind: 'project_rejected', subject: { ...about, event: entry.event, from: entry.from, by, reason: entry.reason } });
  }
  return [];
}
