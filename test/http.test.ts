import { expect } from 'chai';
import { ApiClient } from './support/client';
import { service } from './support/hooks';
import { adminClient, anonymousClient, expectProblem, projectBody, signedInUser } from './support/fixtures';

const json = { 'content-type': 'application/json' };

describe('errors', function () {
  this.timeout(60_000);
  it('answers an unknown route with 404 problem JSON', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/nothing-here'],
      ['DELETE', '/api/projects'],
      ['GET', '/no-such-page'],
    ] as const) {
      const res = await anonymousClient().request(method, path);
      expectProblem(res, 404);
      expect(res.body.title, `${method} ${path}`).to.equal('未找到');
    }
  });

  it('answers malformed JSON with 400 problem JSON, before any login check', async () => {
    const res = await anonymousClient().request('POST', '/api/auth/login', { raw: '{"username": "admin", "password": ', headers: json });
    expectProblem(res, 400);
    expect(res.body.title).to.equal('请求格式错误');

    const admin = await adminClient();
    const signedIn = await admin.request('POST', '/api/orgs', { raw: "{name: '单引号'}", headers: json });
    expectProblem(signedIn, 400);
  });

  it('answers a body over 1 MB with 413 problem JSON', async () => {
    const admin = await adminClient();
    const big = JSON.stringify({ name: '超大请求单位', kind: 'x'.repeat(1024 * 1024 + 10) });
    const res = await admin.request('POST', '/api/orgs', { raw: big, headers: json });
    expectProblem(res, 413);
    expect(res.body.detail).to.match(/1 MB/);
    // Just under the limit is parsed (and then validated).
    const nearly = JSON.stringify({ name: '接近上限单位', kind: 'x'.repeat(1000 * 1000) });
    expectProblem(await admin.request('POST', '/api/orgs', { raw: nearly, headers: json }), 422);
  });

  it('gives every error a problem+json body with a Chinese title and no internals', async () => {
    const admin = await adminClient();
    const owner = await signedInUser(admin, 'leader');
    const anon = anonymousClient();
    const cases: [string, Promise<{ status: number; body: any; headers: Headers }>, number][] = [
      ['401 not logged in', anon.get('/api/auth/me'), 401],
      ['401 bad credentials', anon.post('/api/auth/login', { username: 'admin', password: 'not-the-password' }), 401],
      ['403 wrong role', owner.client.get('/api/users'), 403],
      ['403 CSRF', admin.post('/api/orgs', { name: '无令牌' }, { withoutCsrf: true }), 403],
      ['404 unknown project', admin.get('/api/projects/0123456789abcdef01234567'), 404],
      ['404 unknown user', admin.patch('/api/users/0123456789abcdef01234567', { displayName: '无此人' }), 404],
      ['400 malformed id', admin.get('/api/projects/xyz'), 400],
      ['400 bad query', admin.get('/api/projects?limit=9999'), 400],
      ['400 JSON that is not an object', anon.request('POST', '/api/auth/login', { raw: '"admin"', headers: json }), 400],
      ['422 invalid body', admin.post('/api/users', { username: '?', role: 'king' }), 422],
      ['422 login body of the wrong shape', anon.post('/api/auth/login', { username: { $gt: '' }, password: ['x'] }), 422],
    ];
    for (const [label, pending, status] of cases) {
      const res = await pending;
      try {
        expectProblem(res, status);
      } catch (error) {
        (error as Error).message = `${label}: ${(error as Error).message}`;
        throw error;
      }
    }
  });

  it('never lets a database operator in through the body (NoSQL injection gets 422, not a login)', async () => {
    const res = await anonymousClient().post('/api/auth/login', { username: 'admin', password: { $ne: 'x' } });
    expectProblem(res, 422);
    expect(res.headers.getSetCookie()).to.have.length(0);
  });
});

describe('request ids', () => {
  it('puts an x-request-id on every response, success or error', async () => {
    const seen = new Set<string>();
    for (const path of ['/healthz', '/api/openapi.json', '/api/auth/me', '/api/missing']) {
      const res = await anonymousClient().get(path);
      const id = res.headers.get('x-request-id');
      expect(id, path).to.be.a('string').with.length.above(0);
      seen.add(id!);
    }
    expect(seen.size, 'a new id per request').to.equal(4);
  });

  it('keeps the caller\'s x-request-id, so a report can be traced', async () => {
    const res = await anonymousClient().get('/api/auth/me', { headers: { 'x-request-id': 'trace-abc-42' } });
    expect(res.headers.get('x-request-id')).to.equal('trace-abc-42');
  });
});

describe('API description', () => {
  let doc: any;

  before(async () => {
    const res = await new ApiClient(service().url).get('/api/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/application\/json/);
    doc = res.body;
  });

  /** Follows one `$ref` into components. */
  const resolve = (schema: any) => {
    if (!schema?.$ref) return schema;
    const name = String(schema.$ref).replace('#/components/schemas/', '');
    return doc.components.schemas[name];
  };
  const requestSchema = (path: string, method: string) =>
    resolve(doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema);

  it('is OpenAPI 3.1 with the project and login paths', () => {
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    expect(doc.info.title).to.be.a('string').and.match(/[\u4e00-\u9fff]/);
    expect(doc.paths).to.include.keys('/api/projects', '/api/projects/{id}', '/api/projects/{id}/history', '/api/auth/login', '/api/auth/me', '/api/orgs', '/api/users');
    expect(doc.paths['/api/projects']).to.include.keys('get', 'post');
    expect(doc.paths['/api/projects/{id}']).to.include.keys('get', 'patch');
    expect(doc.paths['/api/auth/login']).to.include.keys('post');
  });

  it('describes the request bodies', () => {
    const login = requestSchema('/api/auth/login', 'post');
    expect(login?.properties, 'login body').to.include.keys('username', 'password');
    expect(login.required).to.include.members(['username', 'password']);

    const create = requestSchema('/api/projects', 'post');
    expect(create?.properties, 'project body').to.include.keys('channel', 'name', 'field', 'totalInvestment', 'requestedAmount', 'funding', 'startYear', 'endYear');
    expect(create.required).to.include.members(['channel', 'name', 'field', 'totalInvestment', 'funding']);
    expect(create.properties.channel.enum).to.have.members(['central_budget', 'special_bond']);
    expect(resolve(create.properties.funding).properties).to.include.keys('centralBudget', 'specialBond', 'localFiscal', 'selfRaised', 'other');

    const patch = requestSchema('/api/projects/{id}', 'patch');
    expect(patch?.properties, 'patch body').to.include.keys('expectedVersion', 'name');
    expect(patch.required).to.include('expectedVersion');

    const user = requestSchema('/api/users', 'post');
    expect(user?.properties).to.include.keys('username', 'password', 'role', 'orgId');
  });

  it('describes the query filters and the problem responses', () => {
    const params = (doc.paths['/api/projects'].get.parameters ?? []).map((p: any) => `${p.in}:${p.name}`);
    expect(params).to.include.members(['query:channel', 'query:stage', 'query:year', 'query:orgId', 'query:field', 'query:q', 'query:page', 'query:limit']);
    const responses = doc.paths['/api/projects'].post.responses;
    expect(responses).to.include.keys('201', '401');
    expect(Object.keys(responses['401'].content)).to.include('application/problem+json');
  });

  it('serves the interactive documentation as HTML at /api/docs/', async () => {
    const res = await anonymousClient().get('/api/docs/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/text\/html/);
    const html = res.body.toString('utf8');
    expect(html).to.match(/swagger-ui/i);
  });
});

describe('data in responses', function () {
  this.timeout(60_000);
  it('keeps Chinese text intact end to end', async () => {
    const admin = await adminClient();
    const orgName = `测试单位·${Date.now()}（甲）`;
    const created = await admin.post('/api/orgs', { name: orgName });
    expect(created.status).to.equal(201);
    const owner = await signedInUser(admin, 'owner', created.body.organisation.id);
    const name = `「乡村振兴」示范项目${Date.now()}`;
    const description = '含 emoji 🚧 与生僻字 𠀀';
    const res = await owner.client.post('/api/projects', projectBody({ name, description }));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const read = await owner.client.get(`/api/projects/${res.body.project.id}`);
    expect(read.body.project).to.include({ name, description, orgName });
  });
});
