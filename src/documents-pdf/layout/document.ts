/**
 * What a document says, free of any page geometry: the content builder fills it in, the layout engine
 * places it on A4 pages. Everything here is plain data, so it crosses to the rendering thread as is.
 */
export type Align = 'left' | 'center' | 'right';

/** Which way an A4 page is turned: wide tables go on landscape pages. */
export type Orientation = 'portrait' | 'landscape';

export interface Cell {
  text: string;
  /** Columns this cell covers (1 when absent). */
  span?: number;
  align?: Align;
  bold?: boolean;
  /** A light grey ground, for labels and totals. */
  shade?: boolean;
}

export type CellInput = string | Cell;

export interface Column {
  /** Share of the table's width, relative to the other columns. */
  width: number;
  align?: Align;
}

export interface TableBlock {
  type: 'table';
  columns: Column[];
  /** The header row, repeated on every page the table runs onto. */
  header?: CellInput[];
  rows: CellInput[][];
  fontSize?: number;
  /** A short line above the table's right edge, such as "单位：万元". */
  unit?: string;
}

export interface HeadingBlock {
  type: 'heading';
  text: string;
  level: 1 | 2;
}

export interface ParagraphBlock {
  type: 'paragraph';
  text: string;
  /** First-line indent of two characters, as Chinese prose is set. */
  indent?: boolean;
  bold?: boolean;
  size?: number;
  /** Left when absent; a letter's sender and date stand at the right. */
  align?: Align;
}

export interface SignatureBox {
  /** What the box is for, e.g. 发改部门审核意见. */
  title: string;
  /** Lines printed at the bottom right, to sign and seal on. */
  signLines: string[];
}

export interface SignaturesBlock {
  type: 'signatures';
  boxes: SignatureBox[];
}

/** Blocks that start on a new page unless they all fit on the current one (a page holds them at most). */
export interface KeepTogetherBlock {
  type: 'keepTogether';
  blocks: Block[];
}

/** A document's title at the head of its first page, for documents without a cover, such as a bulletin (通报). */
export interface TitleBlock {
  type: 'title';
  text: string;
  /** Lines under the title, such as the period and the date the figures are as of. */
  subtitle?: string[];
}

/** What follows starts on a new page, turned as `orientation` says (and the pages after it too). */
export interface PageBreakBlock {
  type: 'pageBreak';
  orientation?: Orientation;
}

export type Block = HeadingBlock | ParagraphBlock | TableBlock | SignaturesBlock | KeepTogetherBlock | TitleBlock | PageBreakBlock;

export interface LabelledValue {
  label: string;
  value: string;
}

export interface CoverSpec {
  title: string;
  subtitle?: string;
  fields: LabelledValue[];
  /** The line under the fields, e.g. 编制日期：2026年6月1日. */
  dateLine: string;
  verification: { code: string; url: string; lines: string[] };
}

export type EmbeddableKind = 'pdf' | 'jpg' | 'png';

/** One accepted dossier file in a bundle: embedded when `source` is given, otherwise only listed. */
export interface AppendixSpec {
  title: string;
  fileName: string;
  details: LabelledValue[];
  source?: { kind: EmbeddableKind; path: string };
  /** Why the file is listed but not embedded. */
  listedOnly?: string;
}

export interface DocumentMetadata {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  /** ISO instant used as creation and modification date: the project version's date, or the day a report's figures are as of. */
  date: string;
  /** Hex digits for the file identifier, fixed for a given project version or report. */
  fileId: string;
}

export interface DocumentSpec {
  metadata: DocumentMetadata;
  /** The running header of every page but the first. */
  header: { left: string; right: string };
  /** Absent for a document that opens with its title on the first page of its body. */
  cover?: CoverSpec;
  body: Block[];
  /** Present for a bundle: the files to append after the application. */
  appendices?: AppendixSpec[];
}
