import mongoose from 'mongoose';

export const SESSION_COLLECTION = 'sessions';

/** Sessions are stored as documents (not strings) so that a user's can be found and ended. */
export async function endSessionsOf(userId: string): Promise<void> {
  await mongoose.connection.collection(SESSION_COLLECTION).deleteMany({ 'session.userId': userId });
}
