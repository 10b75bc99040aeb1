/** Who uses the system (docs/domain.md, "Users"). */
export const roles = ['owner', 'staff', 'leader', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  owner: '项目单位',
  staff: '发改局工作人员',
  leader: '领导',
  admin: '系统管理员',
};

/** Whoever sends an event or asks what they may do. */
export interface Actor {
  id: string;
  role: Role;
  /** The organisation an owner belongs to. */
  orgId?: string;
}
