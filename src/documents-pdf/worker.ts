/**
 * The rendering thread: parses the fonts once, then lays out and draws one document per task, handing the
 * bytes back without a copy. Imports nothing that touches the database.
 */
import { move } from 'piscina';
import type { DocumentSpec } from './layout/document';
import { FontSet } from './layout/fonts';
import { renderDocument } from './layout/render';

const fonts = new FontSet();

export default async function render(spec: DocumentSpec) {
  return move(await renderDocument(spec, fonts));
}
