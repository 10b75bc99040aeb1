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
