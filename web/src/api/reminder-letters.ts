import type { ReminderItemKind } from '../../../workflows/reminder-letters';
import { api, query } from './http';
import type { Page } from './types';

/** A reminder letter (提醒函) as the register lists it. */
export interface ReminderLetter {
  id: string;
  number: string;
  year: number;
  date: string;
  orgId: string;
  orgName: string;
  deadline?: string;
  state: 'issued' | 'recorded';
  items: { projectId: string; projectName: string; kind: ReminderItemKind; label: string; text: string; since?: string; note?: string }[];
  issuedBy: string;
  issuedAt: string;
}

/** What each unit could be reminded of today, found by the service. */
export interface LetterSuggestions {
  month: string;
  items: {
    orgId: string;
    orgName: string;
    projects: { projectId: string; name: string; lettersBefore: number; items: { kind: ReminderItemKind; label: string; text: string; since?: string }[] }[];
  }[];
}

export interface NewLetter {
  orgId: string;
  items: { projectId: string; kind: ReminderItemKind; note?: string }[];
  deadline?: string;
}

export const letterSuggestions = () => api.get<LetterSuggestions>('/api/reminder-letters/suggestions');

export const issueLetter = async (body: NewLetter) => (await api.post<{ letter: ReminderLetter }>('/api/reminder-letters', body)).letter;

export const listLetters = (filters: Record<string, string | number | undefined>) => api.get<Page<ReminderLetter>>(`/api/reminder-letters?${query(filters)}`);

export const letterPdfUrl = (id: string) => `/api/reminder-letters/${encodeURIComponent(id)}/letter.pdf`;
