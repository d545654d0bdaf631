import { z } from 'zod';

/** `{message, type, param, code}`: the error of an API answer, and of a failed output-file line. */
export const ApiErrorBodySchema = z
	.object({
		message: z.string().nullable().optional(),
		type: z.string().nullable().optional(),
		param: z.string().nullable().optional(),
		code: z.union([z.string(), z.number()]).nullable().optional(),
	})
	.passthrough();

/** `{"error": {message, type, param, code}}`: 404 everywhere, 422 on create batch, 501 on cancel. */
export const ErrorEnvelopeSchema = z.object({ error: ApiErrorBodySchema });
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
