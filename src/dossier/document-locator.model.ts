import mongoose, { Schema, type Types } from 'mongoose';

/**
 * Which project holds a document. Documents live inside their project, and the
 * embedded database cannot use an index on `documents._id`, so downloads and
 * reviews by document id look the project up here, by primary key.
 */
interface DocumentLocatorDoc {
  _id: Types.ObjectId;
  projectId: Types.ObjectId;
}

export const DocumentLocator = mongoose.model<DocumentLocatorDoc>(
  'DocumentLocator',
  new Schema<DocumentLocatorDoc>({ projectId: { type: Schema.Types.ObjectId, required: true } }, { versionKey: false }),
);
