import { may } from '../../workflows/access';
import { documentTypeLabel, pendingDocumentTypes } from '../../workflows/dossier';
import { rules } from '../../workflows/rules-file';
import { isReviewStage } from '../../workflows/vocabulary';
import type { CurrentUser } from '../shared/current-user';
import { catalogue } from './catalogue';
import { rowView } from './project-list';

/**
 * The staff's 待办: projects waiting in a review stage, the most urgent due
 * date first, and projects whose newest files nobody has reviewed yet.
 */
export function workQueue(user: CurrentUser, now = new Date()) {
  const reviews = [];
  const files = [];
  for (const row of catalogue.rows()) {
    if (isReviewStage(row.stage)) reviews.push(rowView(row, now));
    const pending = pendingDocumentTypes(row.dossier);
    if (pending.length && may(user, 'review', row)) {
      files.push({ ...rowView(row, now), pendingDocuments: pending.map((docType) => ({ docType, label: documentTypeLabel(rules, docType) })) });
    }
  }
  reviews.sort((a, b) => a.review!.dueDate.localeCompare(b.review!.dueDate) || a.name.localeCompare(b.name, 'zh-CN'));
  return { reviews, files };
}
