/**
 * What the bureau does with the demo projects once they are under way: the leader answers for every project with
 * funds secured that is not finished, and a few problems hold some of them up (one escalated, one settled, one
 * overdue), so the leader's page and the problem list show what they are for. Through the same services as the API.
 */
import type { CurrentUser } from '../shared/current-user';
import { catalogue } from '../projects/catalogue';
import { setResponsibility } from '../projects/responsibility';
import { raiseProblem, sendProblemEvent } from '../problems/problems.service';
import { organisationName } from '../accounts/accounts.service';
import type { ProblemCategory } from '../../workflows/problems';
import type { Channel } from '../../workflows/vocabulary';
import { chinaDay } from '../../workflows/working-days';

const DAY_MS = 86_400_000;
const UNDER_WAY = ['approved', 'issued', 'implementation'];

interface DemoProblem {
  category: ProblemCategory;
  description: string;
  responsibleUnit: string;
  /** Raised this many days ago, due this many days after that. */
  daysAgo: number;
  dueAfter: number;
  then?: { type: 'ESCALATE'; reason: string } | { type: 'RESOLVE'; resolution: string };
}

const problems: DemoProblem[] = [
  { category: 'demolition', description: '项目红线内尚有3户房屋未完成征收，影响管网施工', responsibleUnit: '石桥镇人民政府', daysAgo: 30, dueAfter: 45, then: { type: 'ESCALATE', reason: '涉及跨镇安置房源，镇级无法协调' } },
  { category: 'funds', description: '县级配套资金1200万元尚未拨付到位', responsibleUnit: '县财政局', daysAgo: 50, dueAfter: 30, then: { type: 'RESOLVE', resolution: '县财政局已于本月拨付配套资金' } },
  { category: 'utilities', description: '施工临时用电未接入，影响设备调试', responsibleUnit: '县供电公司', daysAgo: 40, dueAfter: 20 },
];

/** `staffFor`: the bureau officer who handles a channel's projects. */
export async function followUpDemoProjects(projectIds: string[], staffFor: (channel: Channel) => CurrentUser, leader: CurrentUser, now = new Date()): Promise<void> {
  const underWay = projectIds.map((id) => catalogue.get(id)!).filter((row) => UNDER_WAY.includes(row.stage));
  for (const row of underWay) {
    const staff = staffFor(row.channel);
    await setResponsibility(staff, row.id, { leaderId: leader.id, unit: organisationName(row.orgId), contact: '项目负责人', phone: '0571-88881234', staffId: staff.id }, undefined, now);
  }
  for (const [i, problem] of problems.entries()) {
    const row = underWay[i % underWay.length];
    if (!row) return;
    const staff = staffFor(row.channel);
    const raisedAt = new Date(now.getTime() - problem.daysAgo * DAY_MS);
    const { then, daysAgo: _daysAgo, dueAfter, ...fields } = problem;
    const raised = await raiseProblem(staff, row.id, { ...fields, level: 'county', dueDate: chinaDay(new Date(raisedAt.getTime() + dueAfter * DAY_MS)) }, raisedAt);
    if (then) await sendProblemEvent(staff, raised._id.toString(), then, new Date(raisedAt.getTime() + 7 * DAY_MS));
  }
}
