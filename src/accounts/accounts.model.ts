import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { roles } from '../shared/current-user';

const organisationSchema = new Schema(
  {
    name: { type: String, required: true, unique: true, trim: true },
    kind: { type: String, trim: true },
  },
  { timestamps: true },
);

const userSchema = new Schema(
  {
    username: { type: String, required: true, unique: true, trim: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true, trim: true },
    role: { type: String, required: true, enum: roles },
    orgId: { type: Schema.Types.ObjectId, ref: 'Organisation' },
    /** Where notifications the user chose go by e-mail (src/notifications). */
    email: { type: String, trim: true },
    disabled: { type: Boolean, default: false },
    /** Set with a password an administrator chose; cleared when the user chooses their own. */
    mustChangePassword: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export type OrganisationDoc = InferSchemaType<typeof organisationSchema> & { _id: mongoose.Types.ObjectId };
export type UserDoc = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };

export const Organisation = mongoose.model('Organisation', organisationSchema);
export const User = mongoose.model('User', userSchema);
