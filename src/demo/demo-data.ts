/**
 * Demo data for a first `npm start`: the organisations, the people, then every project's story, all through the
 * same services the API uses. Loaded only into a fresh database: no organisations, no projects, and no demo data
 * loaded (or removed) before. Everything it creates is marked (demo-marker.ts).
 */
import { createOrganisation, createUser } from '../accounts/accounts.service';
import type { AuditSource } from '../audit/audit.service';
import { Organisation } from '../accounts/accounts.model';
import type { CurrentUser } from '../shared/current-user';
import { Project } from '../projects/project.model';
import type { Channel, Field } from '../../workflows/vocabulary';
import { DEMO_PASSWORD, demoOrganisations, demoPeople, type DemoOrganisation, type DemoPerson, type DemoPersonKey } from './demo-cast';
import { demoScenarios, type DemoScenario } from './demo-projects';
import { ProjectStory } from './project-story';
import { demoRecord, markDemo, setDemoState } from './demo-marker';
import { followUpDemoProjects } from './demo-follow-up';

type Organisations = Record<DemoOrganisation, { id: string; name: string }>;
type People = Record<DemoPersonKey, CurrentUser>;

/** Which bureau office handles each channel. */
const officeFor: Record<Channel, DemoPersonKey> = { central_budget: 'investmentDesk', special_bond: 'projectOffice' };

const ownerOf: Record<DemoOrganisation, DemoPersonKey> = {
  hospital: 'hospitalOwner',
  town: 'townOwner',
  investment: 'investmentOwner',
};

const loader: AuditSource = { actor: { username: 'system', displayName: '系统（载入演示数据）' } };

/** Never into a database in use, nor into one whose demo data was loaded before (and perhaps removed). */
async function isFresh(): Promise<boolean> {
  return !(await demoRecord()) && !(await Project.exists({})) && !(await Organisation.exists({}));
}

/** Makes one thing per entry of `record`, all at once, keyed alike. */
async function makeEach<K extends string, V, R>(record: Record<K, V>, make: (value: V) => Promise<R>): Promise<Record<K, R>> {
  const keys = Object.keys(record) as K[];
  const made = await Promise.all(keys.map((key) => make(record[key])));
  return Object.fromEntries(keys.map((key, i) => [key, made[i]])) as Record<K, R>;
}

const createOrganisations = (): Promise<Organisations> => makeEach(demoOrganisations, (org) => createOrganisation({ ...org }, loader));

const createPeople = (orgs: Organisations): Promise<People> =>
  makeEach(demoPeople as Record<DemoPersonKey, DemoPerson>, (person) =>
    createUser(
      {
        username: person.username,
        password: DEMO_PASSWORD,
        // Published on purpose, and only while the demo data exists: production refuses to start with it.
        exemptFromPasswordPolicy: true,
        displayName: person.displayName,
        role: person.role,
        orgId: person.org && orgs[person.org].id,
      },
      loader,
    ),
  );

/** The 国民经济行业 major category a project of each field is usually coded under. */
const industryOf: Record<Field, string> = {
  transport: '48',
  water: '76',
  municipal: '46',
  social: '84',
  industrial_park: '47',
  ecology: '77',
  housing: '47',
  agriculture: '05',
  energy: '44',
  other: '48',
};

/** The administrative division the demo county's codes carry (the county is fictitious, the code well formed). */
const DEMO_DIVISION = '360830';

/** A plausible 项目代码: given in the year the project was drafted, as a government investment project (审批, 01). */
const demoProjectCode = (scenario: DemoScenario, index: number) =>
  `${scenario.created.slice(0, 4)}-${DEMO_DIVISION}-${industryOf[scenario.project.field]}-01-${String(1200 + index * 37).padStart(6, '0')}`;

function storyOf(scenario: DemoScenario, index: number, orgs: Organisations, people: People, uploadsDir: string): ProjectStory {
  const { project, org } = scenario;
  return new ProjectStory(
    { owner: people[ownerOf[org]], staff: people[officeFor[project.channel]], uploadsDir },
    { ...project, projectCode: demoProjectCode(scenario, index), orgName: orgs[org].name, code: `QS-${project.startYear}-${String(index + 1).padStart(2, '0')}` },
  );
}

/**
 * Every project is drafted first and the stories are then played newest draft first, one at a time: a document
 * review finds its project by scanning the collection in insertion order (the embedded database has no index for
 * it), so each scan passes only drafts that are still small. Run side by side, the stories are slower still: the
 * database writes one at a time.
 */
async function playScenarios(orgs: Organisations, people: People, uploadsDir: string): Promise<void> {
  const plays = demoScenarios.map((scenario, i) => ({ scenario, story: storyOf(scenario, i, orgs, people, uploadsDir) }));
  for (const { scenario, story } of plays) await story.create(scenario.created);
  await markDemo('projects', plays.map(({ story }) => story.projectId));
  for (const { scenario, story } of plays.reverse()) await scenario.story(story);
  await followUpDemoProjects(
    plays.map(({ story }) => story.projectId),
    (channel) => people[officeFor[channel]],
    people.leader,
  );
}

/** Loads the demo data into an empty database; returns how many projects it created (0 when not empty). */
export async function loadDemoData(uploadsDir: string): Promise<number> {
  if (!(await isFresh())) return 0;
  const orgs = await createOrganisations();
  await markDemo('organisations', Object.values<{ id: string }>(orgs).map((o) => o.id));
  const people = await createPeople(orgs);
  await markDemo('users', Object.values<CurrentUser>(people).map((p) => p.id));
  await playScenarios(orgs, people, uploadsDir);
  await setDemoState('loaded');
  return demoScenarios.length;
}
