import type ExcelJS from 'exceljs';
import type { Role } from '../../workflows/roles';
import type { CurrentUser } from '../shared/current-user';
import type { Cell, CellError, ImportColumn, SheetLayout } from './workbook';

/** One sheet of a kind's template: its name, its columns, and whether a workbook must have it. */
export interface TemplateSheetSpec {
  name: string;
  columns: readonly ImportColumn[];
  required: boolean;
}

/**
 * A template sheet as found in an uploaded workbook: the file's sheet (none
 * when the workbook has no such sheet), and, when the file is a ledger mapped
 * onto the template, where its header row and columns are.
 */
export interface LocatedSheet {
  sheet?: ExcelJS.Worksheet;
  layout?: SheetLayout;
}

/** The template's sheets, by name, as found in an uploaded workbook. */
export type LocatedSheets = ReadonlyMap<string, LocatedSheet>;

/** One row checked: its value when it is sound, and what is wrong with it by column key. */
export interface RowCheck<T> {
  value?: T;
  /** Two rows with the same key say the same thing twice. */
  key?: string;
  errors: { column: string; message: string }[];
}

/**
 * A kind of import (年度计划, and later projects): its columns and template,
 * how a row is checked, and how a checked row is saved. Saving must be
 * repeatable: `isApplied` tells a row already saved, so an import cut off
 * half-way is finished without saving a row twice.
 */
export interface ImportKind<T> {
  title: string;
  roles: readonly Role[];
  columns: readonly ImportColumn[];
  instructions: readonly string[];
  templateRows(user: CurrentUser, year: number): Record<string, Cell>[];
  check(cells: Record<string, Cell>, user: CurrentUser): RowCheck<T>;
  /** Why a row checked at upload can no longer be saved (the project ended meanwhile), or nothing. */
  stillApplies(value: T, user: CurrentUser): string | undefined;
  apply(user: CurrentUser, value: T, importId: string): Promise<void>;
  isApplied(value: T): Promise<boolean>;
  /**
   * A kind whose workbook has several sheets reads and checks it whole
   * (rows of one sheet may name rows of another); the kept rows are then
   * what the import saves.
   */
  checkWorkbook?(sheets: LocatedSheets, user: CurrentUser, fileName: string): Promise<{ rows: { row: number; value: T }[]; errors: CellError[] }>;
  /** The template's sheets, when there are several; otherwise one sheet named `title` with `columns`. */
  sheets?: readonly TemplateSheetSpec[];
  /** Such a kind's template, whole. */
  template?(user: CurrentUser, year: number): Promise<Buffer>;
  /** Saves every row not saved yet at once (batched), instead of one `apply` each; as repeatable as `apply`. */
  applyAll?(user: CurrentUser, values: T[], importId: string, fileName: string): Promise<void>;
}
