/**
 * A typical project as the application document sees it (about five pages), built in memory without a
 * database, and the files of a bundle: the benchmark and the page previews render these.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { DocumentRecord } from '../../src/projects/document.model';
import type { HistoryEntry, ProjectDoc } from '../../src/projects/project.model';
import type { Stage } from '../../workflows/vocabulary';

const staff = { id: 's1', name: '张伟（发改局投资科）' };
const owner = { id: 'o1', name: '孙立华（县城投公司项目部）' };

const at = (day: string, hour = 9) => new Date(`${day}T${String(hour).padStart(2, '0')}:30:00+08:00`);

/** Two-page PDFs standing in for an owner's scanned approvals. */
export async function appendixPdf(title: string, pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`${title} - page ${i} of ${pages}`, { x: 72, y: 760, size: 16, font });
    for (let line = 0; line < 30; line++) page.drawText(`Line ${line + 1}: approved content of ${title}.`, { x: 72, y: 720 - line * 20, size: 11, font });
  }
  doc.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  return Buffer.from(await doc.save());
}

const SAMPLE_PROJECT_ID = new mongoose.Types.ObjectId('5a3b00000000000000000001');

interface SampleFile {
  docType: string;
  fileName: string;
  bytes: Buffer;
}

function documentRecord(file: SampleFile, day: string, accepted: boolean): DocumentRecord {
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  return {
    _id: new mongoose.Types.ObjectId(createHash('md5').update(file.fileName).digest('hex').slice(0, 24)),
    projectId: SAMPLE_PROJECT_ID,
    docType: file.docType,
    version: 1,
    fileName: file.fileName,
    size: file.bytes.length,
    sha256,
    mime: 'application/pdf',
    kind: 'pdf',
    storageKey: `${sha256.slice(0, 2)}/${sha256}`,
    uploadedAt: at(day),
    uploadedBy: owner,
    review: accepted ? { decision: 'accepted', at: at(day, 15), by: staff } : undefined,
  };
}

function entry(day: string, event: string, actor: { id: string; name: string }, role: string, from?: Stage, to?: Stage, extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return { at: at(day, 10), actorId: actor.id, actorName: actor.name, role, event, from, to, ...extra };
}

/** Eleven dossier files of two pages each: ten accepted, the last still waiting for review. */
export async function sampleFiles(): Promise<SampleFile[]> {
  const types: [string, string][] = [
    ['proposal', '青山县城区老旧管网更新改造项目建议书.pdf'],
    ['approval_doc', '青发改审批〔2025〕118号 关于城区老旧管网更新改造项目可行性研究报告的批复.pdf'],
    ['land_use', '用地预审与选址意见书（用字第3301252025000118号）.pdf'],
    ['eia', '环境影响报告表批复.pdf'],
    ['implementation_plan', '专项债券项目实施方案.pdf'],
    ['financial_assessment', '项目融资与收益自求平衡财务评估报告.pdf'],
    ['legal_opinion', '法律意见书.pdf'],
    ['energy_review', '节能审查意见.pdf'],
    ['stability_assessment', '社会稳定风险评估报告.pdf'],
    ['land_planning_permit', '建设用地规划许可证.pdf'],
    ['construction_planning_permit', '建设工程规划许可证.pdf'],
  ];
  return Promise.all(types.map(async ([docType, fileName]) => ({ docType, fileName, bytes: await appendixPdf(docType) })));
}

/** A special-bond project well into its life: about five pages of application. */
export async function sampleProject(files?: SampleFile[]): Promise<{ project: ProjectDoc; history: HistoryEntry[]; documents: DocumentRecord[]; orgName: string }> {
  const dossier = files ?? (await sampleFiles());
  const documents = dossier.map((f, i) => documentRecord(f, `2025-0${3 + Math.floor(i / 4)}-1${i % 9}`, i < 10));
  const history: HistoryEntry[] = [
    entry('2025-03-02', 'CREATE', owner, 'owner', undefined, 'draft'),
    entry('2025-03-05', 'EDIT', owner, 'owner', undefined, undefined, { data: { fields: ['description', 'funding', 'performanceTargets'] } }),
    ...documents.slice(0, 4).flatMap((d) => [
      entry(d.uploadedAt.toISOString().slice(0, 10), 'DOCUMENT_UPLOAD', owner, 'owner', undefined, undefined, { data: { docType: d.docType, version: 1, fileName: d.fileName } }),
      entry(d.uploadedAt.toISOString().slice(0, 10), 'DOCUMENT_REVIEW', staff, 'staff', undefined, undefined, { data: { docType: d.docType, version: 1, decision: 'accepted' } }),
    ]),
    entry('2025-03-20', 'SUBMIT', owner, 'owner', 'draft', 'reserve_review'),
    entry('2025-03-24', 'RETURN', staff, 'staff', 'reserve_review', 'draft', {
      reason: '项目建议书中建设内容与投资估算不一致：管网长度按 42.6 公里测算，而估算表按 38 公里计列，请核实后重新报送，并补充老旧管网现状评估及分年度实施计划。',
    }),
    entry('2025-03-27', 'SUBMIT', owner, 'owner', 'draft', 'reserve_review'),
    entry('2025-03-31', 'APPROVE', staff, 'staff', 'reserve_review', 'reserve'),
    entry('2025-04-08', 'START_PRELIMINARY', owner, 'owner', 'reserve', 'preliminary'),
    entry('2025-05-20', 'SUBMIT', owner, 'owner', 'preliminary', 'application_review'),
    entry('2025-05-26', 'APPROVE', staff, 'staff', 'application_review', 'submitted'),
    entry('2025-07-15', 'RECORD_APPROVAL', staff, 'staff', 'submitted', 'approved', { data: { amount: 150_000_000, docNo: '浙财债〔2025〕36号', year: 2025, date: '2025-07-10' } }),
    entry('2025-08-20', 'RECORD_ISSUANCE', staff, 'staff', 'approved', 'issued', { data: { batch: '2025年第五批', bondCode: '2505123', amount: 80_000_000 } }),
    entry('2025-10-16', 'RECORD_ISSUANCE', staff, 'staff', 'issued', 'issued', { data: { batch: '2025年第九批', bondCode: '2509456', amount: 70_000_000 } }),
  ];
  const project = {
    _id: new mongoose.Types.ObjectId('66a1b2c3d4e5f60718293a4b'),
    orgId: new mongoose.Types.ObjectId('66a1b2c3d4e5f60718293a00'),
    channel: 'special_bond',
    name: '青山县城区老旧供排水管网更新改造及雨污分流工程（一期）',
    projectCode: '2024-360830-46-01-001237',
    field: 'municipal',
    location: '青山县城关镇、石桥镇及经济开发区',
    description:
      '改造城区老旧供水管网 42.6 公里、排水管网 36.8 公里，新建雨污分流管道 18.2 公里及提升泵站 3 座，同步实施道路破除恢复 9.4 万平方米。项目建成后城区供水漏损率由 18% 降至 9% 以下，污水收集率提高至 95%，消除易涝点 12 处。',
    totalInvestment: 286_450_000,
    requestedAmount: 150_000_000,
    funding: { centralBudget: 0, specialBond: 150_000_000, localFiscal: 56_450_000, selfRaised: 80_000_000, other: 0 },
    startYear: 2025,
    endYear: 2027,
    financing: { projectedRevenue: 231_600_000, debtService: 189_750_000 },
    performanceTargets: [
      { category: 'output', name: '改造供排水管网长度', weight: 30, target: '≥79.4 公里' },
      { category: 'output', name: '新建提升泵站', weight: 10, target: '3 座' },
      { category: 'effect', name: '城区供水管网漏损率', weight: 25, target: '≤9%' },
      { category: 'effect', name: '城区污水集中收集率', weight: 20, target: '≥95%' },
      { category: 'satisfaction', name: '沿线居民满意度', weight: 15, target: '≥90%' },
    ],
    stage: 'issued',
    version: history.length,
    machineVersion: 'special_bond@1',
    stageEnteredAt: at('2025-10-16'),
    applications: [{ round: 1, year: 2025, date: '2025-05-26', requestedAmount: 150_000_000, latestInYear: true }],
    approval: { amount: 150_000_000, year: 2025, docNo: '浙财债〔2025〕36号', date: '2025-07-10' },
    issuances: [
      { batch: '2025年第五批', bondCode: '2505123', amount: 80_000_000, termYears: 15, rate: 2.18, issueDate: '2025-08-20', year: 2025 },
      { batch: '2025年第九批', bondCode: '2509456', amount: 70_000_000, termYears: 20, rate: 2.26, issueDate: '2025-10-16', year: 2025 },
    ],
    disbursements: [],
    progress: [],
    documents: documents.map((d) => d._id),
    dossier: Object.fromEntries(documents.map((d) => [d.docType, d.review?.decision ?? 'pending'])),
    lastEntry: { ...history.at(-1)!, version: history.length },
    createdAt: at('2025-03-02'),
    updatedAt: at('2025-10-16', 10),
  } as unknown as ProjectDoc;
  return { project, history, documents, orgName: '青山县城市建设投资有限公司' };
}

/** Writes the sample files where a bundle expects them, and returns the path of each. */
export async function storeSampleFiles(files: SampleFile[], dir: string): Promise<(d: DocumentRecord) => string> {
  await mkdir(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const file of files) {
    const sha = createHash('sha256').update(file.bytes).digest('hex');
    const target = path.join(dir, sha);
    await writeFile(target, file.bytes);
    paths.set(sha, target);
  }
  return (d) => paths.get(d.sha256)!;
}
