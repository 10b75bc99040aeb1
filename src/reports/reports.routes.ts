import { z } from 'zod';
import type { ApiRouter } from '../shared/api-router';
import { streamDownload, XLSX } from '../shared/downloads';
import { NO_ROUND, noRoundLabel } from '../../workflows/rounds';
import { chinaDay } from '../../workflows/working-days';
import { renderInPool } from '../documents-pdf/pool';
import { hallBoard } from './board.service';
import { fundsByRound, fundsByYear, fundsProjects } from './funds.service';
import { roundName } from '../rounds/rounds.service';
import { ledgerTitle, streamLedger } from './ledgers';
import { pipelineStats } from './pipeline.service';
import { reviewLoad } from './review-load';
import {
  boardResponse,
  fundsByRoundQuery,
  fundsByRoundResponse,
  fundsProjectsParams,
  fundsProjectsQuery,
  fundsProjectsResponse,
  fundsQuery,
  fundsResponse,
  ledgerQuery,
  pipelineQuery,
  pipelineResponse,
  reviewLoadResponse,
  scheduleProjectsQuery,
  scheduleProjectsResponse,
  scheduleQuery,
  scheduleResponse,
  summaryQuery,
  summaryResponse,
} from './reports.schemas';
import { scheduleDocument } from './schedule-document';
import { scheduleProjects, scheduleStats, type ScheduleFigureKind } from './schedule-stats';
import { writeScheduleWorkbook } from './schedule-workbook';
import { yearSummary } from './summary.service';
import { yearOf } from './units';
import { scopeFor } from './scope';

/** Leaders read; staff prepare the figures. Owners and administrators see none of it. */
const readers = ['staff', 'leader'] as const;
const PDF = 'application/pdf';
const binary = z.string().meta({ format: 'binary' });

const thisYear = () => yearOf(chinaDay(new Date()));

export function reportRoutes(api: ApiRouter): void {
  api.route(
    { method: 'get', path: '/api/stats/funds', tag: '统计', summary: '各年度、各渠道申报与争取到位资金', access: readers, query: fundsQuery, responses: { 200: { description: '按年度和渠道', schema: fundsResponse } } },
    async ({ user, query: { from, to, roundId, ...scope } }) => {
      const last = to ?? (from !== undefined ? Math.max(from, thisYear()) : thisYear());
      const first = from ?? last - 4;
      return { body: { from: first, to: last, ...(roundId ? { roundId } : {}), items: fundsByYear({ from: first, to: last }, scopeFor(user, scope), roundId) } };
    },
  );

  // Before `/api/stats/funds/:year/:channel/projects`.
  api.route(
    { method: 'get', path: '/api/stats/funds/by-round', tag: '统计', summary: '某年申报与到位资金按申报批次分列（各批次与未编入批次的合计等于当年数）', access: readers, query: fundsByRoundQuery, responses: { 200: { description: '按申报批次', schema: fundsByRoundResponse } } },
    async ({ user, query: { year, ...scope } }) => ({
      body: { year, items: fundsByRound(year, scopeFor(user, scope)).map((item) => ({ ...item, roundName: item.roundId === NO_ROUND ? noRoundLabel : (roundName(item.roundId) ?? item.roundId) })) },
    }),
  );

  api.route(
    { method: 'get', path: '/api/stats/funds/:year/:channel/projects', tag: '统计', summary: '某年某渠道资金数据所含项目（合计与统计数一致）', access: readers, params: fundsProjectsParams, query: fundsProjectsQuery, responses: { 200: { description: '项目及其金额', schema: fundsProjectsResponse } } },
    async ({ user, params, query: { page, limit, roundId, ...scope } }) => ({ body: fundsProjects({ ...params, page, limit, roundId }, scopeFor(user, scope)) }),
  );

  api.route(
    { method: 'get', path: '/api/stats/pipeline', tag: '统计', summary: '各阶段项目数、超期审核、实施项目红黄绿', access: readers, query: pipelineQuery, responses: { 200: { description: '流程概况', schema: pipelineResponse } } },
    async ({ user, query }) => ({ body: pipelineStats(scopeFor(user, query)) }),
  );

  api.route(
    { method: 'get', path: '/api/stats/review-load', tag: '统计', summary: '限时办结：各经办人经办的项目、待审核与待审材料及其中超期的数量（含尚无经办人的项目）', access: readers, responses: { 200: { description: '按经办人', schema: reviewLoadResponse } } },
    async () => ({ body: reviewLoad() }),
  );

  api.route(
    { method: 'get', path: '/api/stats/schedule', tag: '统计', summary: '月度调度：开工率、完成率、双过半、红黄绿、红黑旗、未报月报', access: readers, query: scheduleQuery, responses: { 200: { description: '截至该月的调度数据', schema: scheduleResponse } } },
    async ({ user, query }) => ({ body: scheduleStats(scopeFor(user, query)) }),
  );

  api.route(
    { method: 'get', path: '/api/stats/schedule/projects', tag: '统计', summary: '月度调度数字所含项目（合计与统计数一致）', access: readers, query: scheduleProjectsQuery, responses: { 200: { description: '项目及其计划与完成情况', schema: scheduleProjectsResponse } } },
    async ({ user, query }) => ({ body: scheduleProjects(scopeFor(user, query)) }),
  );

  api.route(
    { method: 'get', path: '/api/stats/summary', tag: '统计', summary: '年度资金争取情况（报告段落）', access: readers, query: summaryQuery, responses: { 200: { description: '段落及其数据', schema: summaryResponse } } },
    async ({ user, query: { year, ...scope } }) => ({ body: yearSummary(year ?? thisYear(), scopeFor(user, scope)) }),
  );

  api.route(
    { method: 'get', path: '/api/exports/ledger.xlsx', tag: '统计', summary: '导出台账（项目进展、手续办理、问题解决、项目入库）', access: readers, query: ledgerQuery, responses: { 200: { description: 'Excel 文件', schema: binary, contentType: XLSX } } },
    async ({ user, query: { kind, ...scope }, req, res }) => streamDownload(req, res, XLSX, `${ledgerTitle(kind)}-${chinaDay(new Date())}.xlsx`, (out) => streamLedger(kind, scopeFor(user, scope), out)),
  );

  api.route(
    {
      method: 'get',
      path: '/api/exports/schedule.pdf',
      tag: '统计',
      summary: '月度调度通报（PDF）：综述、分级别和分单位完成情况、红黑旗、双过半、红黄项目、未按计划开工、未报月报',
      access: readers,
      query: scheduleQuery,
      responses: { 200: { description: 'PDF 文件', schema: binary, contentType: PDF }, 503: { description: '生成任务繁忙' } },
    },
    async ({ user, query: asked, res }) => {
      const query = scopeFor(user, asked);
      const stats = scheduleStats(query);
      const bytes = await renderInPool(scheduleDocument(stats, query.keyLevel));
      res.attachment(`月度调度通报-${stats.month}.pdf`);
      res.type(PDF);
      res.send(bytes);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/api/exports/schedule.xlsx',
      tag: '统计',
      summary: '月度调度通报（Excel）：汇总、按级别、按单位、红黄绿、未按计划开工、未报月报',
      access: readers,
      query: scheduleQuery,
      responses: { 200: { description: 'Excel 文件', schema: binary, contentType: XLSX } },
    },
    async ({ user, query: asked, req, res }) => {
      const query = scopeFor(user, asked);
      const now = new Date();
      const stats = scheduleStats(query, now);
      const projectsOf = (figure: ScheduleFigureKind) => scheduleProjects({ ...query, figure, page: 1, limit: Number.MAX_SAFE_INTEGER }, now).items;
      await streamDownload(req, res, XLSX, `月度调度通报-${stats.month}.xlsx`, (out) => writeScheduleWorkbook(out, stats, projectsOf, query.keyLevel));
    },
  );

  api.route(
    { method: 'get', path: '/api/public/board', tag: '公开', summary: '大厅公示屏：推进快的和慢的项目（仅公开字段）', access: 'public', responses: { 200: { description: '公示内容', schema: boardResponse } } },
    async () => ({ body: hallBoard() }),
  );
}
