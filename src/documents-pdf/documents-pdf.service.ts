import type { CurrentUser } from '../shared/current-user';
import { organisationName } from '../accounts/accounts.service';
import { storedFilePath } from '../dossier/storage';
import { loadProjectFor } from '../projects/projects.service';
import { projectHistory } from '../projects/project.repository';
import { applicationDocument, documentTitles } from './application-content';
import { renderInPool } from './pool';
import { printedCode, verificationCode } from './verification.service';

export interface PdfRequest {
  bundle: boolean;
  /** Scheme and host the QR code points back to, e.g. http://10.0.0.5:3000. */
  origin: string;
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
    orgName,
    verification: { code: printedCode(code), url: `${request.origin}/api/public/verify/${code}` },
    filePath: request.bundle ? (document) => storedFilePath(request.uploadsDir, document.storageKey) : undefined,
  });
  const kind = request.bundle ? '（含附件）' : '';
  return {
    bytes: await renderInPool(spec),
    fileName: `${project.name}-${documentTitles[project.channel]}${kind}-第${project.version}版.pdf`,
  };
}
