import type { IExecuteFunctions } from 'n8n-workflow';
import { TemplateError, compileTemplate, type CsvRow, type CsvRows, type RowTemplate } from '../../../src/csv';
import { BuildProblemsError, type Problem, type RowSource, type SourceRow } from '../../../src/jsonl';
import type { BatchEndpoint } from '../../../src/schemas';
import { labelOf, parseJsonField, type FieldReader } from './fieldReader';
import { readRequest } from './readRequest';
import { outcomeValue, rowOutcome, type RowOutcome } from './rowOutcome';

/**
 * Fields for one row of a file: text and JSON fields are `{column}` templates, read raw (an n8n
 * expression cannot see the rows of a file; a leading "=" that n8n adds when it switches a field to
 * expression mode is ignored). Settings are evaluated once, against the item holding the file.
 */
class FileFieldReader implements FieldReader {
	values: string[] = [];
	readonly templateErrors = new Map<string, TemplateError>();
	private readonly templates = new Map<string, RowTemplate>();
	private readonly settings = new Map<string, unknown>();
	private readonly raws = new Map<string, string>();
	private readonly constantJson = new Map<string, RowOutcome>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly columns: string[],
	) {}

	text(param: string): string {
		return this.template(param).render(this.values);
	}

	textOrList(param: string): string {
		return this.text(param);
	}

	json(param: string): unknown {
		const template = this.template(param, 'json');
		if (!template.isConstant) return parseJsonField(param, template.render(this.values));
		// The same text on every row (no column in it): parsed once; the build only reads the value.
		let known = this.constantJson.get(param);
		if (!known) {
			known = rowOutcome(() => parseJsonField(param, template.render(this.values)));
			this.constantJson.set(param, known);
		}
		return outcomeValue(known);
	}

	setting<T>(param: string, fallback: T): T {
		if (!this.settings.has(param)) this.settings.set(param, this.ctx.getNodeParameter(param, this.itemIndex, fallback));
		return this.settings.get(param) as T;
	}

	fields(names: string[]): string[] {
		const indexes = names.map((name) => this.columns.indexOf(name));
		const unknown = names.filter((_, i) => indexes[i] === -1);
		if (unknown.length > 0) {
			// A template naming the same columns reports them with the usual wording and hints.
			this.template('embeddingFields', undefined, unknown.map((n) => `{${n}}`).join(' '));
		}
		return indexes.map((i) => this.values[i] ?? '');
	}

	isBlank(param: string): boolean {
		return this.raw(param) === '';
	}

	/** The columns a field reads, for hints. */
	columnsOf(field: string): string[] | undefined {
		for (const [param, template] of this.templates) if (labelOf(param) === field) return template.columns;
		return undefined;
	}

	private raw(param: string): string {
		let text = this.raws.get(param);
		if (text === undefined) {
			const value = this.ctx.getNodeParameter(param, this.itemIndex, '', { rawExpressions: true });
			text = typeof value === 'string' ? value : JSON.stringify(value);
			if (text.startsWith('=')) text = text.slice(1);
			this.raws.set(param, text);
		}
		return text;
	}

	private template(param: string, escape?: 'json', source?: string): RowTemplate {
		const known = this.templates.get(param);
		if (known) return known;
		let error: unknown;
		try {
			const template = compileTemplate(source ?? this.raw(param), this.columns, { field: labelOf(param), escape });
			this.templates.set(param, template);
			return template;
		} catch (caught) {
			error = caught;
		}
		// Thrown outside the catch: only a TemplateError is expected here; the node maps anything else.
		if (!(error instanceof TemplateError)) throw error;
		// Noted and replaced by an empty template, so the check goes on to the other fields.
		this.templateErrors.set(param, error);
		const empty: RowTemplate = { source: '', columns: [], isConstant: true, render: () => '' };
		this.templates.set(param, empty);
		return empty;
	}
}

/**
 * One request per data row of a file read as a stream. The fields' templates are compiled on the
 * first row, so a column the file does not have is reported once (not once per row).
 */
export function fileRowSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	csv: CsvRows,
	fileLabel: string,
	endpoint: BatchEndpoint,
	customIdFromField: boolean,
): RowSource {
	const reader = new FileFieldReader(ctx, itemIndex, csv.columns);
	return {
		noun: 'Row',
		async *rows() {
			for await (const csvRow of csv.rows) yield new FileRow(csvRow, itemIndex, reader, endpoint, customIdFromField, fileLabel);
		},
		fixFor(field) {
			const columns = reader.columnsOf(field);
			if (!columns || columns.length === 0) return `Check the ${field} field.`;
			const names = columns.map((c) => `"${c}"`).join(', ');
			return `Fill in the column${columns.length > 1 ? 's' : ''} ${names} on this row, or change the ${field} template.`;
		},
	};
}

/** One row of the file (a class, so a row costs no closures). */
class FileRow implements SourceRow {
	readonly number: number;
	readonly problem?: SourceRow['problem'];

	constructor(
		private readonly csvRow: CsvRow,
		readonly itemIndex: number,
		private readonly reader: FileFieldReader,
		private readonly endpoint: BatchEndpoint,
		private readonly customIdFromField: boolean,
		private readonly fileLabel: string,
	) {
		this.number = csvRow.rowNumber;
		if (csvRow.problem) this.problem = csvRow.problem;
	}

	read() {
		this.reader.values = this.csvRow.values;
		try {
			return readRequest(this.reader, this.endpoint, this.customIdFromField);
		} finally {
			// A field first compiled on a later row (an earlier field failed on row 2) still stops the build.
			throwTemplateErrors(this.reader, this.fileLabel);
		}
	}
}

function throwTemplateErrors(reader: FileFieldReader, fileLabel: string): void {
	if (reader.templateErrors.size === 0) return;
	const problems: Problem[] = [...reader.templateErrors.values()].map((e) => ({
		where: fileLabel,
		field: e.field,
		message: e.message,
		fix: e.fix,
	}));
	throw new BuildProblemsError(problems, problems.length, `The fields name columns that ${fileLabel} does not have; nothing was uploaded`);
}
