import { z } from 'zod';

/** `{object:"list", data, first_id, last_id, has_more}`; page with `after=last_id` while `has_more`. */
export function listEnvelopeSchema<T extends z.ZodTypeAny>(item: T) {
	return z
		.object({
			object: z.literal('list').optional(),
			data: z.array(item),
			first_id: z.string().nullable().optional(),
			last_id: z.string().nullable().optional(),
			has_more: z.boolean().default(false),
		})
		.passthrough();
}
export type ListEnvelope<T> = {
	object?: 'list';
	data: T[];
	first_id?: string | null;
	last_id?: string | null;
	has_more: boolean;
};
