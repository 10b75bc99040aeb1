import { expect } from 'chai';
import { adminClient, anonymousClient, expectProblem, sharedTeam } from './support/fixtures';
import { service } from './support/hooks';

describe('public endpoints and caching', function () {
  this.timeout(60_000);

  it('lets browsers and proxies keep the hall board for a minute and a verification for a day, but never an error', async () => {
    const board = await anonymousClient().get('/api/public/board');
    expect(board.status).to.equal(200);
    expect(board.headers.get('cache-control')).to.equal('public, max-age=60');
    const unknown = await anonymousClient().get('/api/public/verify/ZZZZZ-ZZZZZ');
    expectProblem(unknown, 404);
    expect(unknown.headers.get('cache-control')).to.equal('no-store');
  });

  it('limits each public endpoint per address: the next request in the minute is a 429 with Retry-After, other addresses go on', async () => {
    const limit = service().settings.publicRequestsPerMinute;
    const from = { 'x-forwarded-for': '198.51.100.77' };
    for (let i = 0; i < limit; i++) expect((await anonymousClient().get('/api/public/verify/abc', { headers: from })).status).to.equal(404);
    const refused = await anonymousClient().get('/api/public/verify/other-code', { headers: from });
    expectProblem(refused, 429);
    expect(refused.body.detail).to.equal('访问过于频繁，请稍后再试');
    expect(Number(refused.headers.get('retry-after'))).to.be.above(0);
    expect(refused.headers.get('cache-control')).to.equal('no-store');
    // The board is counted on its own, and another address is not affected.
    expect((await anonymousClient().get('/api/public/board', { headers: from })).status).to.equal(200);
    expect((await anonymousClient().get('/api/public/verify/abc', { headers: { 'x-forwarded-for': '198.51.100.78' } })).status).to.equal(404);
  });

  it('marks every answer carrying personal data no-store: the session, users, projects and their documents', async () => {
    const team = await sharedTeam();
    const admin = await adminClient();
    const project = (await team.owner.get('/api/projects?limit=1')).body.items[0];
    const answers = [await team.owner.get('/api/auth/me'), await admin.get('/api/users'), await team.staff.get('/api/projects')];
    if (project) answers.push(await team.owner.get(`/api/projects/${project.id}`));
    for (const res of answers) {
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('no-store');
    }
  });
});
