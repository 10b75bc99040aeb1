import { ElMessage } from 'element-plus';
import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router';
import { whenUnauthorized } from './api/http';
import { messages } from '../../workflows/messages';
import type { User } from './api/types';
import LoginView from './views/LoginView.vue';
import { currentUser, forgetSession, homeOf, session } from './session';

type Role = User['role'];

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the page; none: anyone, without signing in. */
    roles?: Role[];
    title?: string;
    /** Pages without the application's header (login, the hall board). */
    bare?: boolean;
  }
}

const everyone: Role[] = ['owner', 'staff', 'leader', 'admin'];

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    // The login page is in the first bundle: it is the first screen most visits see.
    { path: '/login', component: LoginView, meta: { bare: true, title: '登录' } },
    { path: '/board', component: () => import('./views/BoardView.vue'), meta: { bare: true, title: '项目建设进度' } },
    { path: '/', redirect: () => (session.user ? homeOf(session.user.role) : '/login'), meta: { roles: everyone } },
    { path: '/projects', component: () => import('./views/ProjectListView.vue'), meta: { roles: ['owner', 'staff', 'leader'], title: '项目' } },
    { path: '/projects/new', component: () => import('./views/ProjectFormView.vue'), meta: { roles: ['owner', 'staff'], title: '新建项目' } },
    { path: '/projects/:id', component: () => import('./views/ProjectView.vue'), meta: { roles: everyone, title: '项目详情' } },
    { path: '/projects/:id/edit', component: () => import('./views/ProjectFormView.vue'), meta: { roles: ['owner', 'staff'], title: '修改项目' } },
    { path: '/queue', component: () => import('./views/QueueView.vue'), meta: { roles: ['staff'], title: '待办' } },
    { path: '/monthly-reports', component: () => import('./views/ReportingView.vue'), meta: { roles: ['staff', 'leader'], title: '月报报送情况' } },
    { path: '/bond-quotas', component: () => import('./views/BondQuotasView.vue'), meta: { roles: ['staff', 'leader'], title: '地方专项债券额度' } },
    { path: '/plans', component: () => import('./views/PlansView.vue'), meta: { roles: ['staff'], title: '年度计划' } },
    { path: '/review-load', component: () => import('./views/ReviewLoadView.vue'), meta: { roles: ['staff', 'leader'], title: '经办工作量' } },
    { path: '/dashboard', component: () => import('./views/DashboardView.vue'), meta: { roles: ['staff', 'leader'], title: '领导驾驶舱' } },
    { path: '/admin', component: () => import('./views/AdminView.vue'), meta: { roles: ['admin'], title: '系统管理' } },
    { path: '/problems', component: () => import('./views/ProblemsView.vue'), meta: { roles: ['owner', 'staff', 'leader'], title: '问题清单' } },
    { path: '/reminder-letters', component: () => import('./views/ReminderLettersView.vue'), meta: { roles: ['owner', 'staff', 'leader'], title: '提醒函' } },
    { path: '/rounds', component: () => import('./views/RoundsView.vue'), meta: { roles: ['staff', 'leader'], title: '申报批次' } },
    { path: '/rounds/:id', component: () => import('./views/RoundView.vue'), meta: { roles: ['staff', 'leader'], title: '申报批次' } },
    { path: '/rolling-plan', component: () => import('./views/RollingPlanView.vue'), meta: { roles: ['staff', 'leader'], title: '三年滚动投资计划' } },
    { path: '/audit', component: () => import('./views/AuditView.vue'), meta: { roles: ['admin', 'leader'], title: '审计日志' } },
    { path: '/password', component: () => import('./views/PasswordView.vue'), meta: { roles: everyone, bare: true, title: '修改密码' } },
    { path: '/notifications', component: () => import('./views/NotificationsView.vue'), meta: { roles: everyone, title: '通知' } },
    { path: '/:pathMatch(.*)*', component: () => import('./views/NotFoundView.vue'), meta: { title: '页面不存在' } },
  ],
});

router.beforeEach(async (to: RouteLocationNormalized) => {
  const user = await currentUser();
  if (to.path === '/login' && user) return homeOf(user.role);
  if (!to.meta.roles) return true;
  if (!user) return { path: '/login', query: { redirect: to.fullPath } };
  // A temporary password opens nothing else until the user has chosen their own (the service refuses the rest too).
  if (user.mustChangePassword) return to.path === '/password' ? true : '/password';
  return to.meta.roles.includes(user.role) ? true : homeOf(user.role);
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 发改局项目资金申报管理系统` : '发改局项目资金申报管理系统';
});

// A session that ran out (or was ended by an administrator): sign in again, then back to this page.
whenUnauthorized(() => {
  if (!session.user) return;
  forgetSession();
  ElMessage.warning({ message: messages.sessionExpired, grouping: true });
  void router.push({ path: '/login', query: { redirect: router.currentRoute.value.fullPath } });
});
