/**
 * Importing the bureau's project ledger (docs/domain.md, "Importing
 * projects"): 10,000 project rows, with a funding sheet besides, uploaded
 * and checked, then committed, on a fresh service process; the goal is the
 * two together under a minute.
 *
 *   npm run bench -- project-import
 */
import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { startChildServer } from '../test/support/child-server';
import { adminClient, createOrganisation, signedInUser } from '../test/support/fixtures';
import type { ApiClient } from '../test/support/client';
import { expectStatus, loopbackOnly } from './support/api';
import { fixed, type Benchmark } from './support/report';

const PROJECTS = 10_000;
const GOAL_SECONDS = 60;

/** Every fourth project under way with its approval and a later release; the rest in the reserve. */
async function ledger(orgName: string): Promise<{ bytes: Buffer; fundingRows: number }> {
  const workbook = new ExcelJS.Workbook();
  const projects = workbook.addWorksheet('项目');
  projects.addRow(['项目代码', '项目名称', '渠道', '项目单位', '领域', '建设地点', '建设内容', '总投资（万元）', '申请资金（万元）', '资金筹措-中央预算内投资（万元）', '资金筹措-地方财政资金（万元）', '起止年限', '阶段']);
  const funds = workbook.addWorksheet('资金记录');
  funds.addRow(['项目代码', '类型', '年度', '金额（万元）', '文号', '日期']);
  let fundingRows = 0;
  for (let i = 1; i <= PROJECTS; i++) {
    const code = `2024-330102-48-01-${String(i).padStart(6, '0')}`;
    const underWay = i % 4 === 0;
    projects.addRow([code, `台账项目${i}`, '中央预算内投资', orgName, '交通', '城东', '新建道路及配套管网', 5000, 2000, 2000, 3000, '2024-2026', underWay ? '实施中' : '储备库']);
    if (underWay) {
      funds.addRow([code, '下达', 2024, 1200.5, `发改投资〔2024〕${i}号`, '2024-04-01']);
      funds.addRow([code, '追加下达', 2025, 799.5, `发改投资〔2025〕${i}号`, '2025-04-01']);
      fundingRows += 2;
    }
  }
  return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), fundingRows };
}

function uploadLedger(client: ApiClient, bytes: Buffer) {
  const form = new FormData();
  form.append('kind', 'projects');
  form.append('file', new Blob([new Uint8Array(bytes)]), '项目台账.xlsx');
  return client.request('POST', '/api/imports', { form });
}

export const benchmark: Benchmark = {
  title: `import of ${PROJECTS.toLocaleString('en')} projects with their funding records from one workbook (check, then commit)`,
  async run(progress) {
    const child = await startChildServer();
    try {
      const admin = await adminClient(loopbackOnly(child.url));
      const orgName = '台账导入测试单位';
      await createOrganisation(admin, orgName);
      const staff = (await signedInUser(admin, 'staff')).client;
      progress('writing the workbook');
      const { bytes, fundingRows } = await ledger(orgName);
      progress(`uploading ${fixed(bytes.length / 1e6, 2)} MB`);
      const started = performance.now();
      const checked = expectStatus(await uploadLedger(staff, bytes), 201, 'upload');
      const checkSeconds = (performance.now() - started) / 1000;
      if (checked.import.errors.length) throw new Error(`the ledger has errors: ${JSON.stringify(checked.import.errors.slice(0, 5))}`);
      progress('committing');
      const committing = performance.now();
      const committed = expectStatus(await staff.post(`/api/imports/${checked.import.id}/commit`), 200, 'commit');
      const commitSeconds = (performance.now() - committing) / 1000;
      if (committed.import.state !== 'applied') throw new Error(`import left ${committed.import.state}`);
      const listed = expectStatus(await staff.get('/api/projects?q=台账项目&limit=1'), 200, 'list');
      const total = checkSeconds + commitSeconds;
      return {
        columns: ['rows (projects + funding)', 'file', 'check s', 'commit s', 'total s', 'projects listed'],
        rows: [[`${PROJECTS} + ${fundingRows}`, `${fixed(bytes.length / 1e6, 2)} MB`, fixed(checkSeconds, 1), fixed(commitSeconds, 1), fixed(total, 1), listed.total]],
        goals: [{ name: `${PROJECTS.toLocaleString('en')} rows imported (check + commit)`, target: `< ${GOAL_SECONDS} s`, actual: `${fixed(total, 1)} s`, met: total < GOAL_SECONDS && listed.total === PROJECTS }],
        notes: ['a fresh service process on its own database; times are the HTTP requests as the browser makes them'],
      };
    } finally {
      await child.dispose();
    }
  },
};
