import { expect } from 'chai';
import { adminClient, createOrganisation, projectBody, signedInUser } from './support/fixtures';
import { minimalPdf } from './support/files';
import type { ApiClient } from './support/client';

async function upload(client: ApiClient, projectId: string, docType: string, name = `${docType}.pdf`) {
  const form = new FormData();
  form.append('docType', docType);
  form.append('file', new Blob([minimalPdf(docType)], { type: 'application/pdf' }), name);
  const res = await client.request('POST', `/api/projects/${projectId}/documents`, { form });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.document;
}

describe('workflow smoke', () => {
  it('carries a central budget project to evaluation', async () => {
    const admin = await adminClient();
    const orgId = await createOrganisation(admin);
    const owner = (await signedInUser(admin, 'owner', orgId)).client;
    const staff = (await signedInUser(admin, 'staff')).client;
    const created = await owner.post('/api/projects', projectBody({
      performanceTargets: [
        { category: 'output', name: '新建管网长度', weight: 60, target: '12 公里' },
        { category: 'satisfaction', name: '群众满意度', weight: 40, target: '≥90%' },
      ],
    }));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    let project = created.body.project;
    const send = async (client: ApiClient, type: string, extra: Record<string, unknown> = {}) => {
      const res = await client.post(`/api/projects/${project.id}/events`, { type, expectedVersion: project.version, ...extra });
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).to.equal(200);
      project = res.body.project;
      return project;
    };
    const blocked = await owner.post(`/api/projects/${project.id}/events`, { type: 'SUBMIT', expectedVersion: project.version });
    expect(blocked.status).to.equal(422);
    expect(blocked.body.missing).to.deep.equal(['proposal']);
    const doc = await upload(owner, project.id, 'proposal', '项目建议书（2025）.pdf');
    expect(doc.fileName).to.equal('项目建议书（2025）.pdf');
    expect((await staff.post(`/api/documents/${doc.id}/review`, { decision: 'accept' })).status).to.equal(200);
    project = (await owner.get(`/api/projects/${project.id}`)).body.project;
    expect(project.availableEvents).to.deep.equal(['SUBMIT', 'WITHDRAW']);
    await send(owner, 'SUBMIT');
    expect(project.stage).to.equal('reserve_review');
    expect(project.dueDate).to.match(/^\d{4}-\d{2}-\d{2}$/);
    await send(staff, 'APPROVE');
    await send(owner, 'START_PRELIMINARY');
    for (const t of ['approval_doc', 'land_use', 'eia', 'fund_application_report']) {
      const d = await upload(owner, project.id, t);
      await staff.post(`/api/documents/${d.id}/review`, { decision: 'accept' });
    }
    project = (await owner.get(`/api/projects/${project.id}`)).body.project;
    await send(owner, 'SUBMIT');
    await send(staff, 'APPROVE');
    expect(project.stage).to.equal('submitted');
    await send(staff, 'RECORD_APPROVAL', { data: { amount: 30_000_000, year: 2026, docNo: '发改投资〔2026〕12号', date: '2026-06-01' } });
    await send(staff, 'START_IMPLEMENTATION');
    const over = await staff.post(`/api/projects/${project.id}/events`, { type: 'RECORD_DISBURSEMENT', expectedVersion: project.version, data: { amount: 30_000_001, date: '2026-07-01' } });
    expect(over.status).to.equal(422);
    await send(staff, 'RECORD_DISBURSEMENT', { data: { amount: 10_000_000, date: '2026-07-01' } });
    await send(staff, 'COMPLETE', { data: { date: '2026-10-01' } });
    await send(staff, 'EVALUATE', { data: { scores: [{ name: '新建管网长度', score: 95 }, { name: '群众满意度', score: 80 }] } });
    expect(project.stage).to.equal('evaluated');
    expect(project.evaluation).to.include({ total: 89, grade: '良' });
    const history = (await owner.get(`/api/projects/${project.id}/history`)).body.items;
    expect(history.length).to.equal(project.version);
  });
});
