import { countEmbeddingInputs, type BatchEndpoint } from '../schemas';
import { buildBody, type EndpointInput, type IssuePath } from './endpoints';
import { lineLooksValid } from './fastCheck';
import { validateLine, type LineIssue } from './validateLine';

/** Everything one row asks for. */
export interface RowRequest {
	customId: string;
	input: EndpointInput;
	/** "Additional Body Fields": merged into the body; may not overwrite what the node sets. */
	additionalBody?: Record<string, unknown>;
}

/** A line ready to upload, with what the limits count. */
export interface BuiltLine {
	/** The JSON text followed by "\n". */
	text: string;
	/** Exact UTF-8 size of `text`. */
	bytes: number;
	embeddingInputs: number;
}

export type LineResult = { ok: true; line: BuiltLine } | { ok: false; issues: LineIssue[] };

/** A checked line as text, before its bytes are counted (the build counts them as it writes them). */
export type LineTextResult = { ok: true; text: string; embeddingInputs: number } | { ok: false; issues: LineIssue[] };

/**
 * Builds and checks one request line. Nothing invalid comes out of here. `onBody` sees the body of a
 * line that passed every check, once, just before it is serialized (it must not change it).
 */
export function buildRequestLine(row: RowRequest, onBody?: (body: Record<string, unknown>) => void): LineResult {
	const result = buildRequestText(row, onBody);
	if (!result.ok) return result;
	const { text, embeddingInputs } = result;
	return { ok: true, line: { text, bytes: Buffer.byteLength(text, 'utf8'), embeddingInputs } };
}

/** buildRequestLine without the byte count: the JSON text followed by "\n". */
export function buildRequestText(row: RowRequest, onBody?: (body: Record<string, unknown>) => void): LineTextResult {
	const endpoint: BatchEndpoint = row.input.endpoint;
	const built = buildBody(row.input);
	const body = built.body;
	let issues: LineIssue[] | undefined;
	let added: Set<string> | undefined;
	const extra = row.additionalBody;
	if (extra) {
		for (const key of Object.keys(extra)) {
			if (key in body) {
				(issues ??= []).push({
					field: 'Additional Body Fields',
					message: `sets "${key}", which the node already sets from ${built.fieldAt([key]) ?? 'its own fields'}.`,
				});
			} else {
				body[key] = extra[key];
				(added ??= new Set()).add(key);
			}
		}
	}
	const line = { custom_id: row.customId, method: 'POST', url: endpoint, body };
	// The fast check passes almost every line; the schemas are asked only to explain a failure.
	if (issues || !lineLooksValid(endpoint, line)) {
		// A value that came from Additional Body Fields is reported there, not under a node field of that name.
		const fieldOf = (path: IssuePath) => (added?.has(String(path[0])) ? 'Additional Body Fields' : built.fieldAt(path));
		issues = [...(issues ?? []), ...validateLine(endpoint, line, fieldOf)];
		if (issues.length > 0) return { ok: false, issues };
	}
	onBody?.(body);
	return {
		ok: true,
		text: `${JSON.stringify(line)}\n`,
		embeddingInputs: endpoint === '/v1/embeddings' ? countEmbeddingInputs(body) : 0,
	};
}
