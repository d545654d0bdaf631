import type { ImpalaClient } from '../client';
import { ImpalaApiError } from '../client';
import type { Batch } from '../schemas';
import type { JsonSchema } from '../structured';
import { isRecord } from './classify';
import { readLines, type TextLine } from './lines';
import { parseInputLine, type FileRef } from './parseLine';
import { ResultFileGoneError } from './unreadable';

export interface RequestSchemaOptions {
	signal?: AbortSignal;
}

/**
 * The JSON schema the batch's requests asked their answers to follow: `response_format.json_schema.schema`
 * (chat) or `text.format.schema` (responses) of the input file's first request; undefined when it asked for
 * none (text, `json_object`, other endpoints). Only the first line is downloaded: the stream is closed
 * once it is read. A transfer cut inside the first line is read once more, then fails (a line that is not
 * JSON: a `ResultFileError` naming it); an input file Impala no longer has throws a `ResultFileGoneError`.
 */
export async function requestAnswerSchema(
	client: ImpalaClient,
	batch: Pick<Batch, 'id' | 'input_file_id'>,
	options: RequestSchemaOptions = {},
): Promise<JsonSchema | undefined> {
	const file: FileRef = { role: 'input file', fileId: batch.input_file_id };
	for (let attempt = 1; ; attempt++) {
		try {
			const line = await firstLine(client, batch, file, options.signal);
			return line ? schemaOfBody(parseInputLine(line, file).body) : undefined;
		} catch (error) {
			// A transfer cut inside the first line (a broken stream, or a line that is not whole JSON): once more.
			const lasting = error instanceof ResultFileGoneError || (error instanceof ImpalaApiError && error.status !== undefined);
			if (lasting || options.signal?.aborted || attempt >= 2) throw error;
		}
	}
}

/**
 * `requestAnswerSchema`, with an input file Impala no longer has told apart (`inputGone`) rather than
 * thrown: results can still be read then, in output order, without the check.
 */
export async function findRequestSchema(
	client: ImpalaClient,
	batch: Pick<Batch, 'id' | 'input_file_id'>,
	options: RequestSchemaOptions = {},
): Promise<{ schema?: JsonSchema; inputGone?: true }> {
	try {
		return { schema: await requestAnswerSchema(client, batch, options) };
	} catch (error) {
		if (error instanceof ResultFileGoneError) return { inputGone: true };
		throw error;
	}
}

/** The schema a request body asks its answer to follow, if any (chat or responses shape). */
export function schemaOfBody(body: unknown): JsonSchema | undefined {
	if (!isRecord(body)) return undefined;
	const chat = isRecord(body.response_format) ? body.response_format : undefined;
	if (chat?.type === 'json_schema' && isRecord(chat.json_schema) && isRecord(chat.json_schema.schema)) {
		return chat.json_schema.schema;
	}
	const format = isRecord(body.text) && isRecord(body.text.format) ? body.text.format : undefined;
	if (format?.type === 'json_schema' && isRecord(format.schema)) return format.schema;
	return undefined;
}

async function firstLine(client: ImpalaClient, batch: Pick<Batch, 'id'>, file: FileRef, signal?: AbortSignal): Promise<TextLine | undefined> {
	let stream;
	try {
		stream = await client.files.content(file.fileId, { signal });
	} catch (error) {
		if (error instanceof ImpalaApiError && error.status === 404) throw new ResultFileGoneError(batch.id, file.role, file.fileId, error);
		throw error;
	}
	// readLines closes the download when the loop stops after the first line.
	for await (const line of readLines(stream)) return line;
	return undefined;
}
