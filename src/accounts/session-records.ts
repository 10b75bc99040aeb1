import mongoose from 'mongoose';

export const SESSION_COLLECTION = 'sessions';
/** Holds the secret that signs session cookies. */
export const SECRETS_COLLECTION = 'secrets';

/** Sessions are stored as documents (not strings) so that a user's can be found and ended. */
export async function endSessionsOf(userId: string): Promise<void> {
  await mongoose.connection.collection(SESSION_COLLECTION).deleteMany({ 'session.userId': userId });
}
