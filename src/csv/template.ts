/**
 * A column reference: `{column}` (single braces, which n8n's editor leaves alone), or the older
 * `{{column}}`. A brace pair holding a double quote, a backslash or a line break is not one, so JSON
 * such as `{"top_p": 0.9}` stays as written.
 */
const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}|\{([^{}"\\\n]*[^{}"\\\s][^{}"\\\n]*)\}/g;

/** A field of the node turned into a function of a row: `Summarize: {text}` -> "Summarize: <text of the row>". */
export interface RowTemplate {
	/** The template as written. */
	source: string;
	/** Columns it reads, in order of first use. */
	columns: string[];
	/** True when the text has no placeholder (the same value on every row). */
	isConstant: boolean;
	render(values: readonly string[]): string;
}

export class TemplateError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'TemplateError';
	}
}

export interface CompileTemplateOptions {
	/** The node field the template comes from, named in errors. */
	field: string;
	/**
	 * `json`: a placeholder inside a JSON string literal is escaped (`{"user": "{name}"}` stays valid
	 * whatever the cell holds); one outside a string is inserted as is, so a column can hold JSON.
	 */
	escape?: 'json';
}

/**
 * Compiles a `{column}` template against the header of a file. Every unknown column is an error
 * that names it and lists the columns the file has.
 */
export function compileTemplate(source: string, header: readonly string[], options: CompileTemplateOptions): RowTemplate {
	const pieces: Array<string | number> = [];
	const unknown: string[] = [];
	const used: string[] = [];
	let last = 0;
	for (const match of source.matchAll(PLACEHOLDER)) {
		const name = (match[1] ?? match[2]).trim();
		const index = header.indexOf(name);
		if (index === -1) unknown.push(name);
		else if (!used.includes(name)) used.push(name);
		pieces.push(source.slice(last, match.index), index);
		last = (match.index ?? 0) + match[0].length;
	}
	pieces.push(source.slice(last));
	if (unknown.length > 0) throw unknownColumnsError(unknown, header, options.field);

	const escaped = options.escape === 'json' ? placeholdersInJsonStrings(pieces) : new Set<number>();
	return { source, columns: used, isConstant: used.length === 0, render: renderer(pieces, escaped) };
}

/** The render function of a template, with the common shapes (no placeholder, only `{column}`) made direct. */
function renderer(pieces: ReadonlyArray<string | number>, escaped: ReadonlySet<number>): RowTemplate['render'] {
	if (pieces.length === 1) {
		const text = pieces[0] as string;
		return () => text;
	}
	if (pieces.length === 3 && pieces[0] === '' && pieces[2] === '' && !escaped.has(1)) {
		const column = pieces[1] as number;
		return (values) => values[column] ?? '';
	}
	return (values) => {
		let out = '';
		for (let at = 0; at < pieces.length; at++) {
			const piece = pieces[at];
			if (typeof piece === 'string') out += piece;
			else out += escaped.has(at) ? escapeForJsonString(values[piece] ?? '') : (values[piece] ?? '');
		}
		return out;
	};
}

function unknownColumnsError(unknown: string[], header: readonly string[], field: string): TemplateError {
	const names = [...new Set(unknown)];
	const quoted = names.map((n) => `"${n}"`).join(', ');
	const existing = header.filter((h) => h !== '').map((h) => `"${h}"`).join(', ');
	const message =
		names.length === 1
			? `uses the column ${quoted}, which the file does not have. Columns in the file: ${existing}.`
			: `uses the columns ${quoted}, which the file does not have. Columns in the file: ${existing}.`;
	const hints: string[] = [];
	for (const name of names) {
		const near = header.find((h) => h.toLowerCase() === name.toLowerCase());
		if (near) hints.push(`Did you mean "{${near}}"? Column names are case-sensitive.`);
	}
	if (names.some((n) => /[$.()]/.test(n) && !header.includes(n))) {
		hints.push(
			'For a file, fields are templates: write {column name}. n8n expressions such as {{ $json.x }} cannot see the rows inside a file.',
		);
	}
	if (hints.length === 0) hints.push('Use one of the columns above, spelled as in the header row.');
	return new TemplateError(message, field, hints.join(' '));
}

/** Positions (in `pieces`) of the placeholders that sit inside a JSON string literal of the template. */
function placeholdersInJsonStrings(pieces: ReadonlyArray<string | number>): Set<number> {
	const inside = new Set<number>();
	let inString = false;
	pieces.forEach((piece, at) => {
		if (typeof piece !== 'string') {
			if (inString) inside.add(at);
			return;
		}
		for (let i = 0; i < piece.length; i++) {
			if (piece[i] === '\\' && inString) i++;
			else if (piece[i] === '"') inString = !inString;
		}
	});
	return inside;
}

/** The text of a JSON string literal without its quotes. */
function escapeForJsonString(value: string): string {
	return JSON.stringify(value).slice(1, -1);
}
