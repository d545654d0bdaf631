import { z } from 'zod';
import { nullableNumber } from './common';

/** A file as Impala returns it. Lenient: `purpose` is any string, unknown fields pass through. */
export const FileObjectSchema = z
	.object({
		id: z.string(),
		object: z.literal('file').optional(),
		bytes: z.number(),
		created_at: z.number(),
		expires_at: nullableNumber,
		filename: z.string(),
		purpose: z.string(),
	})
	.passthrough();
export type FileObject = z.infer<typeof FileObjectSchema>;

export const FileDeletedSchema = z
	.object({ id: z.string(), object: z.string().optional(), deleted: z.boolean() })
	.passthrough();
export type FileDeleted = z.infer<typeof FileDeletedSchema>;
