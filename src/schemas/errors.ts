import { z } from 'zod';

/** `{"error": {message, type, param, code}}`: 404 everywhere, 422 on create batch, 501 on cancel. */
export const ErrorEnvelopeSchema = z.object({
	error: z
		.object({
			message: z.string().nullable().optional(),
			type: z.string().nullable().optional(),
			param: z.string().nullable().optional(),
			code: z.union([z.string(), z.number()]).nullable().optional(),
		})
		.passthrough(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** `{"detail": [{loc, msg, type}]}`: 422 validation errors on the other endpoints. */
export const ValidationErrorEnvelopeSchema = z.object({
	detail: z.array(
		z
			.object({
				loc: z.array(z.union([z.string(), z.number()])).optional(),
				msg: z.string(),
				type: z.string().optional(),
			})
			.passthrough(),
	),
});
export type ValidationErrorEnvelope = z.infer<typeof ValidationErrorEnvelopeSchema>;
