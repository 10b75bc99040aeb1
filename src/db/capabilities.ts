import mongoose from 'mongoose';

/** FerretDB answers `buildInfo` with its own version beside the MongoDB one it emulates. */
export async function isFerretDB(): Promise<boolean> {
  const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}
