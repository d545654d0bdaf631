import { z } from 'zod';
import { ApiErrorBodySchema } from './errors';

/** One line of an output or error file (OpenAI's format). Tolerates a missing `id` or `request_id`. */
export const OutputLineSchema = z
	.object({
		id: z.string().nullable().optional(),
		custom_id: z.string(),
		response: z
			.object({
				status_code: z.number(),
				request_id: z.string().nullable().optional(),
				body: z.unknown(),
			})
			.passthrough()
			.nullable()
			.optional(),
		error: ApiErrorBodySchema.nullable().optional(),
	})
	.passthrough();
export type OutputLine = z.infer<typeof OutputLineSchema>;
