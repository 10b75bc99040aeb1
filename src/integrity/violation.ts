/** One broken rule found in the stored data; `detail` is for the people who must repair it. */
export interface Violation {
  rule:
    | 'version'
    | 'history'
    | 'trail'
    | 'dossier'
    | 'schedule'
    | 'responsibility'
    | 'round'
    | 'problem'
    | 'monthly-report'
    | 'import'
    | 'reminder-letter'
    | 'document-review'
    | 'last-entry'
    | 'after-final'
    | 'owner-edit'
    | 'document-type'
    | 'issuance-quota'
    | 'money-record'
    | 'disbursement-secured'
    | 'file-missing'
    | 'file-damaged'
    | 'locator'
    | 'project-code';
  projectId?: string;
  documentId?: string;
  detail: string;
}
