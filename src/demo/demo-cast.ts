/**
 * Who appears in the demo data: three project owners of a fictitious county and the bureau's people. Kept apart from
 * the projects so that printing the demo logins at start-up loads nothing heavy.
 */
import { Organisation, User, type OrganisationDoc, type UserDoc } from '../accounts/accounts.model';
import type { Role } from '../shared/current-user';

/** Every demo account has this password; the start-up printout says so. */
export const DEMO_PASSWORD = 'demo1234';

export const demoOrganisations = {
  hospital: { name: '青山县人民医院', kind: '医疗卫生机构' },
  town: { name: '青山县石桥镇人民政府', kind: '乡镇人民政府' },
  investment: { name: '青山县城市建设投资有限公司', kind: '国有企业' },
} as const;

export type DemoOrganisation = keyof typeof demoOrganisations;

export interface DemoPerson {
  username: string;
  displayName: string;
  role: Exclude<Role, 'admin'>;
  org?: DemoOrganisation;
}

export const demoPeople = {
  hospitalOwner: { username: 'yiyuan', displayName: '刘敏（县人民医院基建科）', role: 'owner', org: 'hospital' },
  townOwner: { username: 'shiqiao', displayName: '赵志强（石桥镇经济发展办）', role: 'owner', org: 'town' },
  investmentOwner: { username: 'chengtou', displayName: '孙立华（县城投公司项目部）', role: 'owner', org: 'investment' },
  investmentDesk: { username: 'touzike', displayName: '张伟（发改局投资科）', role: 'staff' },
  projectOffice: { username: 'xiangmuban', displayName: '李娜（发改局项目办）', role: 'staff' },
  leader: { username: 'lingdao', displayName: '陈国平（发改局局长）', role: 'leader' },
} as const satisfies Record<string, DemoPerson>;

export type DemoPersonKey = keyof typeof demoPeople;

export const roleLabels: Record<Role, string> = {
  owner: '项目单位',
  staff: '发改局工作人员',
  leader: '领导',
  admin: '系统管理员',
};

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  organisation: string;
}

/** The demo accounts still present and enabled, for the start-up printout. */
export async function demoLogins(): Promise<DemoLogin[]> {
  const people: DemoPerson[] = Object.values(demoPeople);
  const users = await User.find({ username: { $in: people.map((p) => p.username) }, disabled: { $ne: true } }).lean<UserDoc[]>();
  const orgs = await Organisation.find({ _id: { $in: users.flatMap((u) => (u.orgId ? [u.orgId] : [])) } }).lean<OrganisationDoc[]>();
  const orgName = new Map(orgs.map((o) => [o._id.toString(), o.name]));
  const found = new Map(users.map((u) => [u.username, u]));
  return people.flatMap((person) => {
    const user = found.get(person.username);
    if (!user) return [];
    const organisation = user.orgId ? (orgName.get(user.orgId.toString()) ?? '') : '青山县发展和改革局';
    return [{ username: user.username, password: DEMO_PASSWORD, role: user.role as Role, organisation }];
  });
}

/** Terminal columns a string takes: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1;
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** The demo logins as a small aligned table for the terminal. */
export function formatDemoLogins(logins: DemoLogin[]): string {
  const header = ['用户名', '密码', '角色', '所属单位'];
  const rows = logins.map((l) => [l.username, l.password, roleLabels[l.role], l.organisation]);
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  return ['演示账号，仅供体验（密码统一为 ' + DEMO_PASSWORD + '，正式使用前请删除或停用）：', line(header), ...rows.map(line)].join('\n');
}
