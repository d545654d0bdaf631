import { NodeOperationError, type INode } from 'n8n-workflow';
import type { ResultOptions } from '../../src/results';
import { AnswerSchemaError, compileAnswerSchema, type JsonSchema } from '../../src/structured';
import { takenAnswerFields } from './answerColumns';
import { toNodeError } from './errors';

/** What the "Options" (Impala node) or "Result Options" (trigger) collection of reading results holds. */
export interface ResultParameters {
	includeRawLine?: boolean;
	includeRequestBody?: boolean;
	onlyFailures?: boolean;
	parseJson?: boolean;
	answerSchemaMode?: 'request' | 'given' | 'off';
	answerSchema?: string | object;
	answerFields?: 'key' | 'top';
	answerFieldPrefix?: string;
	includeSummary?: boolean;
}

/** Which schema the answers are checked against. */
export type SchemaChoice = { mode: 'off' } | { mode: 'request' } | { mode: 'given'; schema: JsonSchema };

export interface ResultSettings {
	options: Omit<ResultOptions, 'answerSchema'>;
	schema: SchemaChoice;
	/** Set when answer fields go at the top level of the item, with this prefix. */
	topLevelPrefix?: string;
	includeSummary: boolean;
}

/**
 * The result options, checked before anything is downloaded: a given schema that is not JSON or not a
 * JSON Schema is an error naming the field. Absent, "Check Answers Against Schema" is "The Schema the Batch
 * Asked For": a batch built with a schema gives its answers as checked JSON without any setting.
 */
export function readResultSettings(node: INode, parameters: ResultParameters, itemIndex?: number): ResultSettings {
	const { includeRawLine, includeRequestBody, onlyFailures, parseJson } = parameters;
	const mode = parameters.answerSchemaMode ?? 'request';
	let schema: SchemaChoice;
	if (mode === 'given') schema = { mode, schema: readGivenSchema(node, parameters.answerSchema, itemIndex) };
	else schema = { mode: mode === 'off' ? 'off' : 'request' };
	const topLevelPrefix = parameters.answerFields === 'top' ? (parameters.answerFieldPrefix ?? '').trim() : undefined;
	if (schema.mode === 'given' && topLevelPrefix !== undefined) refuseTakenFields(node, schema.schema, topLevelPrefix, itemIndex);
	return {
		options: { includeRawLine, includeRequestBody, onlyFailures, parseJson },
		schema,
		...(topLevelPrefix !== undefined && { topLevelPrefix }),
		includeSummary: parameters.includeSummary === true,
	};
}

function readGivenSchema(node: INode, value: string | object | undefined, itemIndex?: number): JsonSchema {
	const fix = 'Paste a JSON Schema in "Answer Schema", such as {"type": "object", "properties": {"score": {"type": "integer"}}}, or choose another "Check Answers Against Schema" option.';
	let schema: unknown = value;
	if (value === undefined) {
		throw new NodeOperationError(node, 'Answer Schema: no schema was given', {
			itemIndex,
			description: 'Add the option "Answer Schema" (Add Option) and paste the JSON Schema the answers must follow, or choose another "Check Answers Against Schema" option.',
		});
	}
	if (typeof value === 'string') {
		if (value.trim() === '') throw new NodeOperationError(node, 'Answer Schema: is empty', { itemIndex, description: fix });
		try {
			schema = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(node, `Answer Schema: is not valid JSON (${(error as Error).message})`, { itemIndex, description: fix });
		}
	}
	try {
		compileAnswerSchema(schema);
	} catch (error) {
		if (!(error instanceof AnswerSchemaError)) throw toNodeError(node, error, itemIndex);
		const reason = error.message.charAt(0).toLowerCase() + error.message.slice(1);
		throw new NodeOperationError(node, `Answer Schema: ${reason}`, { itemIndex, description: fix });
	}
	return schema as JsonSchema;
}

/** "At the Top Level" with a schema whose fields (with the prefix) would take the place of the result's own fields: refused. */
export function refuseTakenFields(node: INode, schema: JsonSchema, prefix: string, itemIndex?: number): void {
	const taken = takenAnswerFields(schema, prefix);
	if (taken.length === 0) return;
	throw new NodeOperationError(
		node,
		`Answer Fields: the answer field "${taken[0]}" has the name of a field every result has (${taken.map((key) => `"${prefix}${key}"`).join(', ')})`,
		{ itemIndex, description: 'Set "Field Prefix" (e.g. answer_) so each answer field gets a name of its own, or choose "Under a Key".' },
	);
}
