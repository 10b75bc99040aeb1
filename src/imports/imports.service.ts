import { messages } from '../../workflows/messages';
import { isValidObjectId, Types, type mongo } from 'mongoose';
import type { CurrentUser } from '../shared/current-user';
import { logger } from '../shared/logger';
import { conflict, forbidden, invalid, notFound, Problem } from '../shared/problem';
import { Imports, type ImportActor, type ImportRecord } from './import.model';
import { describeColumns, locateByMapping, locateByName, rememberLayouts, type ColumnMapping } from './column-mapping';
import type { ImportKind, TemplateSheetSpec } from './import-kind';
import { planImport } from './plan-import';
import { projectImport } from './project-import';
import { loadWorkbook, missingTemplateHeaders, sheetRows, writeTemplate, type CellError } from './workbook';

/**
 * Imports from Excel (docs/domain.md, "Imports"): a sheet is uploaded and
 * checked row by row, nothing saved; the person who uploaded it sees every
 * error by row and column; once a sheet has none it can be committed, and then
 * all its rows are saved. See import.model.ts for how "all" holds without
 * transactions.
 */
const kinds: Record<string, ImportKind<unknown>> = { plans: planImport, projects: projectImport as ImportKind<unknown> };
export const importKindNames = ['plans', 'projects'] as const;

const records = () => Imports.collection as unknown as mongo.Collection<ImportRecord>;

function kindFor(user: CurrentUser, name: string): ImportKind<unknown> {
  const kind = kinds[name];
  if (!kind) throw notFound(messages.noSuchImportKind);
  if (!kind.roles.includes(user.role)) throw forbidden(messages.mayNotImport(kind.title));
  return kind;
}

const actorOf = ({ id, username, displayName, role, orgId }: CurrentUser): ImportActor => ({ id, username, displayName, role, ...(orgId ? { orgId } : {}) });

export function importView(record: ImportRecord) {
  return {
    id: record._id.toString(),
    kind: record.kind,
    fileName: record.fileName,
    state: record.state,
    rows: record.rows,
    errors: record.cellErrors,
    ...(record.needsMapping ? { needsMapping: true } : {}),
    createdAt: record.createdAt.toISOString(),
    committedAt: record.committedAt?.toISOString(),
  };
}

/** How long a checked sheet waits to be committed; an older one is dropped (it would rarely still apply). */
const CHECKED_KEPT_DAYS = 7;

/** Drops the sheets checked but never committed within CHECKED_KEPT_DAYS: each keeps all its rows. */
async function dropUncommitted(now: Date): Promise<void> {
  await records().deleteMany({ state: 'checked', createdAt: { $lt: new Date(now.getTime() - CHECKED_KEPT_DAYS * 86_400_000) } });
}

/** A kind's template sheets: its own list, or the one sheet of its columns. */
const sheetsOf = (kind: ImportKind<unknown>): readonly TemplateSheetSpec[] => kind.sheets ?? [{ name: kind.title, columns: kind.columns, required: true }];

/**
 * Checks every row of an uploaded workbook and keeps what it found; nothing is
 * saved to the projects. A workbook laid out like the template is read as it
 * is; one that is not (a bureau's own ledger) is read through `mapping`, or,
 * without one, answered with `needsMapping` and the headers it lacks
 * (docs/domain.md, "Importing from a ledger"). A mapping used is remembered.
 */
export async function checkImport(user: CurrentUser, name: string, file: { bytes: Buffer; fileName: string }, mapping?: ColumnMapping, now = new Date()) {
  const kind = kindFor(user, name);
  const specs = sheetsOf(kind);
  const workbook = await loadWorkbook(file.bytes);
  if (!workbook.worksheets.length) throw new Problem(415, messages.importUnreadableTitle, '工作簿中没有工作表');
  const sheets = mapping ? locateByMapping(specs, workbook, mapping) : locateByName(specs, workbook);
  if (!mapping) {
    const prefix = specs.length > 1 ? (spec: TemplateSheetSpec) => `${spec.name}·` : () => '';
    const missing = specs.flatMap((spec) => {
      const sheet = sheets.get(spec.name)?.sheet;
      return sheet ? missingTemplateHeaders(sheet, spec.columns).map((c) => ({ row: 1, column: `${prefix(spec)}${c.header}`, message: messages.importColumnMissing(c.header) })) : [];
    });
    if (missing.length) return keepChecked(user, name, file.fileName, [], missing, now, true);
  } else await rememberLayouts(name, sheets, now);
  if (kind.checkWorkbook) {
    const checked = await kind.checkWorkbook(sheets, user, file.fileName);
    return keepChecked(user, name, file.fileName, checked.rows, checked.errors, now);
  }
  const located = sheets.get(specs[0]!.name)!;
  const sheet = sheetRows(located.sheet!, kind.columns, located.layout);
  const errors: CellError[] = [...sheet.errors];
  const rows: ImportRecord['rows'] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, cells } of sheet.rows) {
    const check = kind.check(cells, user);
    errors.push(...check.errors.map((e) => ({ row, column: sheet.label(e.column), message: e.message })));
    const earlier = check.key === undefined ? undefined : firstRowOf.get(check.key);
    if (earlier !== undefined) errors.push({ row, column: sheet.label(kind.columns[0]!.key), message: `与第 ${earlier} 行是同一项，每项只能有一行` });
    else if (check.key !== undefined) firstRowOf.set(check.key, row);
    if (check.value !== undefined) rows.push({ row, value: check.value });
  }
  if (!sheet.rows.length && !errors.length) errors.push({ row: (located.layout?.headerRow ?? 1) + 1, column: sheet.label(kind.columns[0]!.key), message: '表中没有要导入的数据' });
  return keepChecked(user, name, file.fileName, rows, errors, now);
}

/** The template's sheets and columns beside an uploaded ledger's, with a suggested mapping; nothing is kept but what staff used before. */
export async function importColumns(user: CurrentUser, name: string, bytes: Buffer, headerRows?: Record<string, number>) {
  const kind = kindFor(user, name);
  return describeColumns(name, sheetsOf(kind), await loadWorkbook(bytes), headerRows);
}

async function keepChecked(user: CurrentUser, name: string, fileName: string, rows: ImportRecord['rows'], errors: CellError[], now: Date, needsMapping = false) {
  const record: ImportRecord = { _id: new Types.ObjectId(), kind: name, fileName, rows, cellErrors: errors, state: 'checked', createdBy: actorOf(user), createdAt: now, ...(needsMapping ? { needsMapping } : {}) };
  await dropUncommitted(now);
  await records().insertOne(record);
  return importView(record);
}

async function findImport(user: CurrentUser, id: string): Promise<{ record: ImportRecord; kind: ImportKind<unknown> }> {
  const record = isValidObjectId(id) ? await records().findOne({ _id: new Types.ObjectId(id) }) : null;
  if (!record) throw notFound(messages.importGone(CHECKED_KEPT_DAYS));
  return { record, kind: kindFor(user, record.kind) };
}

export async function getImport(user: CurrentUser, id: string) {
  return importView((await findImport(user, id)).record);
}

/** Saves every row of a committed import that is not saved yet, then marks the import done. */
async function applyImport(record: ImportRecord, kind: ImportKind<unknown>): Promise<ImportRecord> {
  const actor = record.committedBy!;
  if (kind.applyAll) await kind.applyAll(actor, record.rows.map((r) => r.value), record._id.toString(), record.fileName);
  else for (const { value } of record.rows) {
    if (!(await kind.isApplied(value))) await kind.apply(actor, value, record._id.toString());
  }
  const appliedAt = new Date();
  await records().updateOne({ _id: record._id }, { $set: { state: 'applied', appliedAt } });
  return { ...record, state: 'applied', appliedAt };
}

/**
 * Saves all the rows of a sheet without errors. The import is marked
 * committed first (the one write that decides); should saving stop half-way,
 * committing again, or the next start, saves the rest.
 */
export async function commitImport(user: CurrentUser, id: string, now = new Date()) {
  const { record, kind } = await findImport(user, id);
  if (record.state === 'applied') throw conflict(messages.importDone);
  if (record.cellErrors.length) {
    throw new Problem(422, messages.importHasErrorsTitle, messages.importHasErrors, { errors: record.cellErrors.map(({ row, column, message }) => ({ path: `第${row}行 ${column}`, message })) });
  }
  if (record.state === 'checked') {
    const problems = record.rows.flatMap(({ row, value }) => {
      const refusal = kind.stillApplies(value, user);
      return refusal ? [{ path: `第${row}行`, message: refusal }] : [];
    });
    if (problems.length) throw invalid(problems, '上传后项目情况已有变化，本次没有保存任何数据，请重新下载模板填写');
    const committed = { ...record, state: 'committed' as const, committedBy: actorOf(user), committedAt: now };
    const won = await records().updateOne({ _id: record._id, state: 'checked' }, { $set: { state: 'committed', committedBy: committed.committedBy, committedAt: now } });
    if (won.modifiedCount === 0) throw conflict(messages.importUnderWay);
    return importView(await applyImport(committed, kind));
  }
  return importView(await applyImport(record, kind));
}

/** Finishes imports a stop or crash cut off after they were committed. */
export async function finishCommittedImports(): Promise<number> {
  const pending = await records().find({ state: 'committed' }).toArray();
  for (const record of pending) {
    const kind = kinds[record.kind]!;
    await applyImport(record, kind);
    logger.info({ importId: record._id.toString(), rows: record.rows.length }, 'finished an import cut off after it was committed');
  }
  return pending.length;
}

/** The template of a kind of import, prefilled for `year`. */
export function importTemplate(user: CurrentUser, name: string, year: number) {
  const kind = kindFor(user, name);
  if (kind.template) return { title: kind.title, workbook: kind.template(user, year) };
  return { title: kind.title, workbook: writeTemplate(`${year}年${kind.title}`, kind.columns, kind.templateRows(user, year), kind.instructions) };
}
