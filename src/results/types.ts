import type { z } from 'zod';
import type { UsageSchema } from '../schemas';
import type { JsonSchema } from '../structured';

/**
 * `invalid`: the request succeeded but its answer is not JSON or breaks the answer schema
 * (`error.code` is `invalid_answer`, `answer` keeps the text). Only with `ResultOptions.answerSchema`.
 */
export type ResultStatus = 'succeeded' | 'failed' | 'missing' | 'invalid';

export type Usage = z.infer<typeof UsageSchema>;

/** Why a request did not succeed, in the words of the API (or ours for missing rows). */
export interface ResultError {
	code: string | null;
	message: string;
	type?: string | null;
	param?: string | null;
	status_code?: number;
}

/** The answer of one request, extracted per endpoint. Only the fields that endpoint has are set. */
export interface ExtractedAnswer {
	/** Chat content, responses `output_text`, completion text; parsed JSON when asked for. */
	answer?: unknown;
	tool_calls?: unknown[];
	/** Embeddings: the vector of a single input. */
	embedding?: number[];
	/** Embeddings: one vector per input, in input order, when a line had several inputs. */
	embeddings?: number[][];
	finish_reason?: string | null;
	/** Set when "parse answer as JSON" was asked and the answer is not JSON; `answer` keeps the text. */
	answer_json_error?: string;
}

/** One request's result: compact, so 50,000 of them can be held while the input file gives the order. */
export interface ResultRow extends ExtractedAnswer {
	custom_id: string;
	status: ResultStatus;
	usage?: Usage | null;
	error?: ResultError;
	/** The request body from the input file, when asked for. */
	request?: Record<string, unknown>;
	/** The output or error file line as written by Impala, when asked for. */
	raw_line?: string;
	/** Set on a result whose custom_id is not in the input file (emitted after the input's rows). */
	not_in_input?: true;
}

export interface ResultOptions {
	/** Parse the answer text as JSON (a ```json fence around it is allowed). */
	parseJson?: boolean;
	/** Attach each request's body from the input file. */
	includeRequestBody?: boolean;
	/** Keep the output/error line text on each row. */
	includeRawLine?: boolean;
	/** Emit only failed and missing rows (and invalid ones, with `answerSchema`). */
	onlyFailures?: boolean;
	/**
	 * Every succeeded answer is parsed as JSON (a ```json fence around it is allowed) and checked against
	 * this schema: valid, `answer` is the parsed value; else the row is `invalid`. Replaces `parseJson`.
	 */
	answerSchema?: JsonSchema;
}
