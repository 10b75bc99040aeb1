/** The dossier files of the demo projects: what each document type looks like when an owner uploads it. */
import type { ProjectFields } from '../projects/project.schemas';
import { channelLabels } from '../../workflows/vocabulary';
import { rules } from '../../workflows/rules-file';
import { minimalDocx, minimalPdf, minimalXlsx, scannedPagePng } from './sample-files';

type SampleKind = 'pdf' | 'png' | 'docx' | 'xlsx';

/** How owners usually hand in each document: decisions and opinions as PDFs, certificates as scans, reports as Office files. */
const samples: Record<string, { title: string; kind: SampleKind }> = {
  proposal: { title: '项目建议书', kind: 'pdf' },
  approval_doc: { title: '可行性研究报告批复', kind: 'pdf' },
  land_use: { title: '用地预审与选址意见书（扫描件）', kind: 'png' },
  eia: { title: '环境影响报告表批复', kind: 'pdf' },
  fund_application_report: { title: '资金申请报告', kind: 'docx' },
  implementation_plan: { title: '专项债券项目实施方案', kind: 'docx' },
  financial_assessment: { title: '财务评估报告（融资收益平衡测算表）', kind: 'xlsx' },
  legal_opinion: { title: '法律意见书', kind: 'pdf' },
  land_planning_permit: { title: '建设用地规划许可证（扫描件）', kind: 'png' },
  construction_planning_permit: { title: '建设工程规划许可证（扫描件）', kind: 'png' },
  construction_permit: { title: '建筑工程施工许可证（扫描件）', kind: 'png' },
};

const wan = (yuan: number) => (yuan / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 });

export interface DemoProject extends ProjectFields {
  orgName: string;
  /** A short ASCII reference used inside PDFs and scans, which have no Chinese font. */
  code: string;
}

function summary(p: DemoProject): string[] {
  return [
    `项目名称：${p.name}`,
    `项目代码：${p.projectCode ?? ''}`,
    `项目单位：${p.orgName}`,
    `建设地点：${p.location ?? ''}`,
    `建设年限：${p.startYear}—${p.endYear}年`,
    `总投资：${wan(p.totalInvestment)}万元，拟申请${channelLabels[p.channel]}${wan(p.requestedAmount)}万元。`,
    `建设内容及规模：${p.description ?? ''}`,
  ];
}

function financialRows(p: DemoProject): (string | number)[][] {
  const f = p.funding;
  const rows: (string | number)[][] = [
    ['总投资', p.totalInvestment],
    ['其中：中央预算内投资', f.centralBudget],
    ['地方政府专项债券', f.specialBond],
    ['地方财政资金', f.localFiscal],
    ['业主自筹', f.selfRaised],
    ['其他资金', f.other],
  ];
  if (p.financing) {
    const { projectedRevenue, debtService } = p.financing;
    rows.push(['存续期项目收益', projectedRevenue], ['存续期债券还本付息', debtService], ['本息覆盖倍数', Math.round((projectedRevenue / debtService) * 100) / 100]);
  }
  return rows;
}

async function content(p: DemoProject, docType: string, title: string, kind: SampleKind, version: number): Promise<Buffer> {
  const revision = version > 1 ? [`（第${version}稿：已按审核意见修改完善）`] : [];
  switch (kind) {
    case 'pdf':
      return minimalPdf(`${p.code} ${docType} v${version}`);
    case 'png':
      return scannedPagePng(`${p.code}:${docType}:${version}`);
    case 'docx':
      return minimalDocx(`${p.name}${title}`, [...summary(p), ...revision]);
    case 'xlsx':
      return minimalXlsx('资金测算', ['项目', '金额（元）'], [...financialRows(p), ...revision.map((r) => [r, ''])]);
  }
}

/** A real file for one version of one document of a demo project, with the Chinese name an owner would give it. */
export async function demoDocument(p: DemoProject, docType: string, version: number): Promise<{ fileName: string; content: Buffer }> {
  const sample = samples[docType] ?? { title: (rules.documentTypes[docType] ?? docType).replaceAll('/', '、'), kind: 'pdf' };
  const fileName = `${p.name}${sample.title}${version > 1 ? `（修改稿${version - 1}）` : ''}.${sample.kind}`;
  return { fileName, content: await content(p, docType, sample.title, sample.kind, version) };
}
