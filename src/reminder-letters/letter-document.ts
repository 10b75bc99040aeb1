import { createHash } from 'node:crypto';
import { reminderLetterParagraph, reminderLetterTitle } from '../../workflows/reminder-letters';
import { chineseDay } from '../documents-pdf/format';
import type { DocumentSpec } from '../documents-pdf/layout/document';
import { SIZE } from '../documents-pdf/layout/flow';
import type { ReminderLetterRecord } from './reminder-letter.model';

/** Who signs the letter. */
const SENDER = '发展和改革局';

/**
 * A reminder letter in the bureau's format, for the application document's
 * layout engine: the title and 文号, the unit addressed, the paragraph, the
 * table of items (project, what is wrong and what is asked, since when, the
 * deadline), and the bureau with the date at the foot.
 */
export function letterDocument(letter: ReminderLetterRecord): DocumentSpec {
  const deadline = letter.deadline ? chineseDay(letter.deadline) : undefined;
  return {
    metadata: {
      title: `${reminderLetterTitle}${letter.number}`,
      author: SENDER,
      subject: `提醒函｜${letter.orgName}`,
      keywords: ['提醒函', letter.number, letter.orgName],
      date: new Date(`${letter.date}T00:00:00+08:00`).toISOString(),
      fileId: createHash('sha256').update(`reminder-letter:${letter._id}`).digest('hex').slice(0, 32),
    },
    header: { left: reminderLetterTitle, right: letter.number },
    body: [
      { type: 'title', text: reminderLetterTitle, subtitle: [letter.number] },
      { type: 'paragraph', text: `${letter.orgName}：` },
      { type: 'paragraph', indent: true, text: reminderLetterParagraph(letter.items.map((i) => i.kind), new Set(letter.items.map((i) => i.projectId)).size, deadline) },
      {
        type: 'table',
        fontSize: SIZE.xiaoWu,
        columns: [{ width: 6, align: 'center' }, { width: 24 }, { width: 40 }, { width: 15, align: 'center' }, { width: 15, align: 'center' }],
        header: ['序号', '项目名称', '存在问题及整改要求', '起始时间', '整改期限'],
        rows: letter.items.map((item, i) => [String(i + 1), item.projectName, item.text, item.since ? chineseDay(item.since) : '—', deadline ?? '尽快']),
      },
      { type: 'paragraph', text: SENDER, align: 'right' },
      { type: 'paragraph', text: chineseDay(letter.date), align: 'right' },
    ],
  };
}
