import type { Role } from './roles';
import { eventLabel, stageLabel, type Channel, type ReviewStage, type Stage } from './vocabulary';

/**
 * What the system tells people without being asked (docs/domain.md,
 * "Notifications"): the kinds, who may receive each, and the words they read,
 * in the notification centre and in e-mail alike. The server derives
 * notifications from what was committed; this module only says what they are.
 */
export const notificationKinds = [
  'document_review',
  'document_rejected',
  'project_returned',
  'project_rejected',
  'review_due',
  'review_overdue',
  'report_due',
  'report_late',
  'problem_assigned',
  'problem_due',
  'leader_assigned',
  'reminder_letter',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationKindLabels: Record<NotificationKind, string> = {
  document_review: '材料待审核',
  document_rejected: '材料被退回',
  project_returned: '项目被退回补正',
  project_rejected: '项目不予入库、出库或未获批复',
  review_due: '审核即将到期',
  review_overdue: '审核已超期',
  report_due: '月报待报送',
  report_late: '月报逾期未报',
  problem_assigned: '问题交办',
  problem_due: '问题即将到期',
  leader_assigned: '包联项目',
  reminder_letter: '提醒函',
};

/** Who may receive each kind: the preferences offer a user only the kinds of their role. */
export const notificationAudience: Record<NotificationKind, readonly Role[]> = {
  document_review: ['staff'],
  document_rejected: ['owner'],
  project_returned: ['owner'],
  project_rejected: ['owner'],
  review_due: ['staff'],
  review_overdue: ['staff'],
  report_due: ['owner'],
  report_late: ['owner'],
  problem_assigned: ['owner', 'staff', 'leader'],
  problem_due: ['owner', 'staff', 'leader'],
  leader_assigned: ['leader'],
  reminder_letter: ['owner'],
};

export const kindsFor = (role: Role): NotificationKind[] => notificationKinds.filter((kind) => notificationAudience[kind].includes(role));

/** Every notification is about one project; the names are as they were when it was made. */
export interface ProjectSubject {
  projectId: string;
  projectName: string;
  channel?: Channel;
}

/** A review with a time limit: of a stage, or of one file (限时办结). */
export type ReviewSubject = { dueDate: string } & ({ stage: ReviewStage } | { document: string; version: number });

/** What each kind says, besides its project. `by` is the display name of whoever acted. */
export interface NotificationSubjects {
  document_review: ProjectSubject & { document: string; version: number; fileName: string; by: string };
  document_rejected: ProjectSubject & { document: string; version: number; by: string; reason?: string };
  project_returned: ProjectSubject & { stage: Stage; by: string; reason?: string };
  project_rejected: ProjectSubject & { event: string; from?: Stage; by: string; reason?: string };
  review_due: ProjectSubject & ReviewSubject;
  review_overdue: ProjectSubject & ReviewSubject;
  report_due: ProjectSubject & { month: string; dueDate: string };
  report_late: ProjectSubject & { month: string; dueDate: string };
  problem_assigned: ProjectSubject & { problem: string; by?: string; dueDate?: string };
  problem_due: ProjectSubject & { problem: string; dueDate: string };
  leader_assigned: ProjectSubject & { by?: string };
  /** About the letter's first project; `projects` counts all it names. */
  reminder_letter: ProjectSubject & { letterId: string; number: string; projects: number; deadline?: string };
}

export type SubjectOf<K extends NotificationKind> = NotificationSubjects[K];

/** A kind with its subject, typed together. */
export type NotificationContent = { [K in NotificationKind]: { kind: K; subject: NotificationSubjects[K] } }[NotificationKind];

/** A notification as the API sends it. */
export interface NotificationView {
  id: string;
  kind: NotificationKind;
  title: string;
  text: string;
  projectId: string;
  /** When what it tells of happened (ISO). */
  at: string;
  read: boolean;
}

/** A reason as people type it, without its own full stop: the sentence ends with one. */
const because = (reason?: string) => (reason ? `，理由：${reason.replace(/[。.]+$/, '')}` : '');
const reviewWords = (s: ReviewSubject) => ('stage' in s ? `项目的${stageLabel(s.stage)}` : `“${s.document}”第 ${s.version} 版的审核`);
const monthWords = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

const texts: { [K in NotificationKind]: (s: NotificationSubjects[K]) => { title: string; text: string } } = {
  document_review: (s) => ({
    title: `材料待审核：${s.projectName}`,
    text: `${s.by}上传了“${s.document}”第 ${s.version} 版（${s.fileName}），请审核。`,
  }),
  document_rejected: (s) => ({
    title: `材料被退回：${s.projectName}`,
    text: `“${s.document}”第 ${s.version} 版未通过审核${because(s.reason)}。请修改后上传新版本。`,
  }),
  project_returned: (s) => ({
    title: `项目被退回补正：${s.projectName}`,
    text: `${s.by}将项目退回至“${stageLabel(s.stage, s.channel)}”${because(s.reason)}。`,
  }),
  project_rejected: (s) => ({
    title: `${eventLabel(s.event, s.from)}：${s.projectName}`,
    text: `${s.by}办理了“${eventLabel(s.event, s.from)}”${because(s.reason)}。`,
  }),
  review_due: (s) => ({
    title: `审核即将到期：${s.projectName}`,
    text: `${reviewWords(s)}将于 ${s.dueDate} 到期，请及时办理。`,
  }),
  review_overdue: (s) => ({
    title: `审核已超期：${s.projectName}`,
    text: `${reviewWords(s)}已于 ${s.dueDate} 到期，请尽快办理。`,
  }),
  report_due: (s) => ({
    title: `请报送${monthWords(s.month)}月报：${s.projectName}`,
    text: `${monthWords(s.month)}的月报应于 ${s.dueDate} 前报送。`,
  }),
  report_late: (s) => ({
    title: `月报逾期未报：${s.projectName}`,
    text: `${monthWords(s.month)}的月报应于 ${s.dueDate} 前报送，至今未报，请尽快报送。`,
  }),
  problem_assigned: (s) => ({
    title: `问题交办：${s.projectName}`,
    text: `${s.by ? `${s.by}交办：` : ''}${s.problem}${s.dueDate ? `，请于 ${s.dueDate} 前解决` : ''}。`,
  }),
  problem_due: (s) => ({
    title: `问题即将到期：${s.projectName}`,
    text: `${s.problem}，应于 ${s.dueDate} 前解决。`,
  }),
  leader_assigned: (s) => ({
    title: `包联项目：${s.projectName}`,
    text: `${s.by ? `${s.by}已将` : '已将'}您确定为该项目的包联领导。`,
  }),
  reminder_letter: (s) => ({
    title: `提醒函${s.number}`,
    text: `发改局向你单位发出提醒函${s.number}，涉及“${s.projectName}”${s.projects > 1 ? `等 ${s.projects} 个项目` : ''}，请${s.deadline ? `于 ${s.deadline} 前` : '尽快'}整改并报送整改情况。`,
  }),
};

/** The title and sentence a notification shows. */
export function notificationText(content: NotificationContent): { title: string; text: string } {
  return (texts[content.kind] as (s: ProjectSubject) => { title: string; text: string })(content.subject);
}

/** The subject line of a notification's e-mail. */
export const mailSubject = (title: string) => `【项目资金申报】${title}`;
