import type { CurrentUser } from '../shared/current-user';
import { organisationName } from '../accounts/accounts.service';
import { storedFilePath } from '../dossier/storage';
import { loadProjectFor } from '../projects/projects.service';
import { projectHistory } from '../projects/project.repository';
import { currentDocuments } from '../projects/document-records';
import { applicationDocument, documentTitles } from './application-content';
import { renderInPool } from './pool';
import { printedCode, verificationCode } from './verification.service';

export interface PdfRequest {
  bundle: boolean;
  /**
   * Where the QR code points back to (the PUBLIC_URL setting), never the request's Host header: a printed copy
   * must lead to the service whoever asked for it, and one version must always render the same bytes.
   */
  publicUrl: string;
  uploadsDir: string;
}

/** The application document of the project's current version, rendered off the event loop. */
export async function applicationPdf(user: CurrentUser, projectId: string, request: PdfRequest) {
  const project = await loadProjectFor(user, projectId);
  const orgName = organisationName(project.orgId.toString()) ?? '';
  const code = await verificationCode(project, orgName);
  const spec = applicationDocument({
    project,
    history: await projectHistory(project),
    documents: await currentDocuments(project),
    orgName,
    verification: { code: printedCode(code), url: `${request.publicUrl}/api/public/verify/${code}` },
    filePath: request.bundle ? (document) => storedFilePath(request.uploadsDir, document.storageKey) : undefined,
  });
  const kind = request.bundle ? '（含附件）' : '';
  return {
    bytes: await renderInPool(spec),
    fileName: `${project.name}-${documentTitles[project.channel]}${kind}-第${project.version}版.pdf`,
  };
}
