import { expect } from 'chai';
import { ApiClient } from './support/client';
import { service } from './support/hooks';
import { ADMIN } from './support/server';

describe('accounts and sessions', () => {
  it('logs in, reports the user with a CSRF token, and logs out', async () => {
    const client = new ApiClient(service().url);
    const login = await client.login(ADMIN.username, ADMIN.password);
    expect(login.status).to.equal(200);
    expect(login.body.user).to.include({ username: 'admin', role: 'admin' });
    expect(login.headers.getSetCookie().join(';')).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i);
    const me = await client.get('/api/auth/me');
    expect(me.body.csrfToken).to.be.a('string').with.length.above(20);
    expect((await client.post('/api/auth/logout')).status).to.equal(204);
    expect((await client.get('/api/auth/me')).status).to.equal(401);
  });

  it('refuses bad credentials with 401 and a Chinese problem', async () => {
    const res = await new ApiClient(service().url).post('/api/auth/login', { username: 'admin', password: 'wrong-password' });
    expect(res.status).to.equal(401);
    expect(res.headers.get('content-type')).to.match(/application\/problem\+json/);
    expect(res.body.title).to.equal('未登录');
  });
});
