import { z } from 'zod';

/** Request pieces every API module shares: ids, paging. */
export const objectId = z.string().regex(/^[0-9a-f]{24}$/);
export const idParams = z.object({ id: objectId });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), limit: z.number().int() });

/** Someone a list is filtered by: an account's id, or `me` for whoever asks (a leader's 我包联的项目 is `leaderId=me`). */
export const personFilter = z.union([objectId, z.literal('me')]);

/** The account a person filter names, for the user asking. */
export const personId = (user: { id: string }, filter: string | undefined) => (filter === 'me' ? user.id : filter);

/** A yes/no query parameter, spelled `true` or `false`. */
export const flagQuery = z.enum(['true', 'false']).transform((value) => value === 'true');
