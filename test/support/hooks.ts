import './quiet';
import { startTestService, type TestService } from './server';

let shared: TestService | undefined;

/** The service every test file shares; started once per `npm test` run on a fresh database. */
export function service(): TestService {
  if (!shared) throw new Error('the shared test service is not running');
  return shared;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(15 * 60 * 1000); // the first run compiles the embedded database
    shared = await startTestService();
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await shared?.stop();
  },
};
