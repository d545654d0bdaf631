import { RowFieldError } from '../../../src/jsonl';

/** Reads the node's fields for one row: per n8n item (expressions) or per file row (templates). */
export interface FieldReader {
	/** A text field for the current row. */
	text(param: string): string;
	/** A text field that may also give a list (an n8n expression returning an array): one entry per input. */
	textOrList(param: string): string | string[];
	/** A JSON field for the current row, parsed; undefined when empty. */
	json(param: string): unknown;
	/** A setting (number, option): the same for every row of a file, evaluated per n8n item. */
	setting<T>(param: string, fallback: T): T;
	/** The values of named item fields or file columns. */
	fields(names: string[]): string[];
	/** True when the field is left empty in the node (before any expression or template). */
	isBlank(param: string): boolean;
}

/** How each parameter is called in the node, for messages. */
const FIELD_LABELS: Record<string, string> = {
	model: 'Model',
	systemMessage: 'System Message',
	userMessage: 'User Message',
	extraMessages: 'Extra Messages',
	instructions: 'Instructions',
	responsesInput: 'Input',
	embeddingInput: 'Input',
	embeddingFields: 'Input Fields or Columns',
	prompt: 'Prompt',
	customId: 'Custom ID',
	jsonSchema: 'JSON Schema',
	schemaName: 'Schema Name',
	'options.additionalBodyFields': 'Additional Body Fields',
};

export function labelOf(param: string): string {
	return FIELD_LABELS[param] ?? param;
}

/** What a field gave, as request text: numbers and booleans as written, objects as JSON, nothing as "". */
export function toText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

export function parseJsonField(param: string, text: string): unknown {
	if (text.trim() === '') return undefined;
	const parsed = parseJson(text);
	if ('value' in parsed) return parsed.value;
	throw new RowFieldError(
		labelOf(param),
		`is not valid JSON (${parsed.error}).`,
		'Fix the JSON; in a file template, put {column} inside a JSON string, e.g. "{text}".',
	);
}

/** JSON.parse as a result, so a row problem is thrown outside any catch (n8n's require-node-api-error). */
export function parseJson(text: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}
