import { RowFieldError } from '../../../src/jsonl';
import { shown } from '../../../src/schemas';

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
	schemaType: 'Schema Type',
	jsonSchemaExample: 'JSON Example',
	schemaStrict: 'Strict',
	responseFormat: 'Response Format',
	'options.additionalBodyFields': 'Additional Body Fields',
	'options.temperature': 'Temperature',
	'options.maxTokens': 'Maximum Tokens',
	'options.dimensions': 'Dimensions',
	'options.encodingFormat': 'Encoding Format',
};

export function labelOf(param: string): string {
	return FIELD_LABELS[param] ?? param;
}

/** What a value is, for messages: `the number 42`, `an object ({"a":1})`, `a list ([1,2])`, `true`. */
function kindOf(value: unknown): string {
	if (Array.isArray(value)) return `a list (${shown(value)})`;
	if (typeof value === 'object' && value !== null) return `an object (${shown(value)})`;
	if (typeof value === 'number') return `the number ${String(value)}`;
	if (typeof value === 'boolean') return `the yes/no value ${String(value)}`;
	return shown(value);
}

/** What to do when a field gives something other than text: depends on the field and on what it gave. */
function notTextFix(param: string, value: unknown): string {
	if (param === 'customId') return 'Map a text or number field that names the item, e.g. {{ $json.id }}.';
	if (param === 'model') return 'Give the model name as text, e.g. meta-llama/Llama-3.3-70B-Instruct.';
	if (typeof value === 'object' && value !== null) {
		return 'Map the text inside it, e.g. {{ $json.data.text }}; to send it as JSON text on purpose, write {{ JSON.stringify($json.data) }}.';
	}
	return 'Map a text field here; to send the value as text on purpose, write {{ String($json.field) }}.';
}

/**
 * What a field of an n8n item gave, as request text. Text is used as it is; nothing (null, undefined)
 * is "" (then reported as empty). A number is converted only for the Custom ID (42 -> "42"); any other
 * number, a yes/no value, an object or a list is an error naming the field: it is never turned into
 * text silently.
 */
export function textOf(param: string, value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (param === 'customId' && typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new RowFieldError(labelOf(param), `gives ${kindOf(value)}, not text.`, notTextFix(param, value));
}

/** A text field that may also give a list of texts (one embedding input each); entries follow `textOf`. */
export function textOrListOf(param: string, value: unknown): string | string[] {
	if (!Array.isArray(value)) return textOf(param, value);
	return value.map((entry, index) => {
		if (typeof entry === 'string') return entry;
		throw new RowFieldError(
			labelOf(param),
			`gives a list whose entry ${index + 1} is ${kindOf(entry)}, not text.`,
			'Give a list of texts, one per input.',
		);
	});
}

/** The value of a named item field used as one input (Input Fields or Columns): text only. */
export function itemFieldText(name: string, value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	throw new RowFieldError(
		labelOf('embeddingFields'),
		`names the item field "${name}", which holds ${kindOf(value)}, not text.`,
		'Name only fields that hold text, or turn the field into text first (e.g. with an Edit Fields node).',
	);
}

/** A plain decimal number written as text: "0.7", "-5", "100", "1e3", " 2 ". Not "0,7", "abc" or "". */
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number setting (Temperature, Maximum Tokens, Dimensions): a number is used as it is; text that is a
 * plain number, such as "0.7" or "100" from a CSV cell read by an expression, is converted; empty
 * means "not set". Anything else (text such as "abc" or "0,7", yes/no, an object) is an error naming
 * the field. Whether the number is in range is the schemas' rule, not the reader's.
 */
export function numberOf(param: string, value: unknown, fix: string): number | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return undefined;
		if (NUMBER_TEXT.test(text)) return Number(text);
	}
	throw new RowFieldError(labelOf(param), `is ${kindOf(value)}, which is not a number.`, fix);
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
