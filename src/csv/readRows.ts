import Papa from 'papaparse';
import { SliceClock } from '../eventLoop';
import { BuildProblemsError, formatNumberList, type Problem } from '../jsonl/problems';
import { InvalidTextError, TextChunkDecoder, type CsvEncoding } from './decodeText';
import { detectDelimiter, type Delimiter } from './delimiter';

/** A data row and where a spreadsheet user sees it: the header is row 1, the first data row is row 2. */
export interface CsvRow {
	rowNumber: number;
	/** One value per column of the header, in order ("" for a missing cell). */
	values: string[];
	/** Set when the row itself is broken (more values than the header, a quote left open). */
	problem?: { message: string; fix: string };
}

/** The bytes of a file: whole, or as chunks (a Node stream, n8n's binary stream). */
export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export interface ReadCsvOptions {
	/** Leave out to detect comma, semicolon or tab from the first rows. */
	delimiter?: Delimiter;
	encoding?: CsvEncoding;
	/** What to call the file in messages, e.g. `"rows.csv"`. */
	fileLabel?: string;
	/** Size of the pieces the bytes are decoded in, whatever size they come in (tests use small ones). */
	chunkBytes?: number;
	/** Text gathered before it is given to the parser; default 16 k characters (tests use small ones). */
	feedChars?: number;
	clock?: SliceClock;
}

export interface CsvRows {
	columns: string[];
	delimiter: Delimiter;
	/** The data rows, in order, read as they are needed. Blank lines are skipped but counted. */
	rows: AsyncGenerator<CsvRow, void, undefined>;
}

/** Text seen before the delimiter and line ending are decided. */
const SNIFF_CHARS = 64 * 1024;
/**
 * Bytes decoded at a time. Small on purpose: the decoded text of a piece (and the parser's input made
 * from it) must stay under V8's large-object size of 128 KB (64 k characters of two-byte text, which one
 * "—" or "€" in a piece makes). A larger string gets pages of its own, mapped and unmapped for each
 * piece: with 256 KB pieces that made decoding and parsing a 12 MB CSV 5× slower (`npm run bench`).
 */
const CHUNK_BYTES = 32 * 1024;
/** Text gathered before it is given to the parser: usually one decoded piece, at most two. */
const FEED_CHARS = 16 * 1024;
/** A single row longer than this is a quote left open that swallows the file. */
const MAX_ROW_CHARS = 32 * 1024 * 1024;
/** A control character no spreadsheet writes: parsing a one-column file with it splits nothing. */
const SINGLE_COLUMN = '\u001f';

/**
 * Reads a CSV/TSV file with a header row as a stream: the bytes are decoded chunk by chunk (see
 * TextChunkDecoder) and parsed with papaparse's parser chunk by chunk, so a big file is never held
 * whole. Quoted values may hold delimiters and line breaks, across chunk boundaries too. Problems of
 * the whole file (empty, no data rows, repeated column names, bytes that are not text) throw a
 * BuildProblemsError; problems of one row come with the row (`problem`).
 */
export async function readCsvRows(source: ByteSource, options: ReadCsvOptions = {}): Promise<CsvRows> {
	const reader = new CsvStreamReader(source, options);
	try {
		const header = await reader.header();
		return { ...header, rows: reader.dataRows(header.columns.length) };
	} catch (error) {
		await reader.close();
		throw error;
	}
}

class CsvStreamReader {
	private readonly file: string;
	private readonly decoder: TextChunkDecoder;
	private readonly chunks: AsyncIterator<Uint8Array>;
	private readonly clock: SliceClock;
	private parser?: Papa.Parser;
	private rest = '';
	private done = false;
	/** Records parsed so far, blank ones included: the next record is row `records + 1`. */
	private records = 0;
	private queue: Array<{ rowNumber: number; values: string[]; problem?: CsvRow['problem'] }> = [];
	/** The next record of `queue` to hand out. */
	private head = 0;
	private delimiter: Delimiter = ',';
	private sniffed = '';
	/** Text read but not yet given to the parser. */
	private gathered = '';
	private readonly feedChars: number;

	constructor(
		source: ByteSource,
		private readonly options: ReadCsvOptions,
	) {
		this.file = options.fileLabel ?? 'the file';
		this.decoder = new TextChunkDecoder(options.encoding ?? 'auto');
		this.chunks = byteChunks(source, options.chunkBytes ?? CHUNK_BYTES)[Symbol.asyncIterator]();
		this.clock = options.clock ?? new SliceClock();
		this.feedChars = options.feedChars ?? FEED_CHARS;
	}

	async header(): Promise<{ columns: string[]; delimiter: Delimiter }> {
		while (!this.done && this.sniffed.length < SNIFF_CHARS) this.sniffed += await this.nextText();
		const sniffed = this.sniffed;
		this.sniffed = '';
		const detected = this.options.delimiter ?? detectDelimiter(sniffed);
		this.delimiter = detected ?? ',';
		this.parser = new Papa.Parser({ delimiter: detected ?? SINGLE_COLUMN, newline: guessNewline(sniffed) });
		this.feed(sniffed);
		for (;;) {
			const record = await this.nextRecord();
			if (!record) {
				throw new BuildProblemsError(
					[{ where: capital(this.file), message: 'is empty.', fix: 'Give it a header row with column names and one row per request.' }],
					1,
				);
			}
			if (isBlank(record.values)) continue;
			if (record.problem) throw new BuildProblemsError([{ where: `Row ${record.rowNumber}`, ...record.problem }], 1, this.unreadable());
			const columns = record.values.map((name) => name.trim());
			checkHeader(columns, record.rowNumber, this.unreadable());
			return { columns, delimiter: this.delimiter };
		}
	}

	/** Stops reading the bytes (closes a file stream). */
	async close(): Promise<void> {
		await this.chunks.return?.();
	}

	async *dataRows(width: number): AsyncGenerator<CsvRow, void, undefined> {
		// One generator (no yield* into another): each row costs one async step, not two.
		try {
			let rows = 0;
			for (;;) {
				const record = await this.nextRecord();
				if (!record) break;
				if (isBlank(record.values)) continue;
				rows++;
				const { rowNumber, values } = record;
				if (!record.problem && values.length > width && values.slice(width).some((v) => v.trim() !== '')) {
					record.problem = {
						message: `has ${values.length} values but the header has ${width} columns.`,
						fix: `Quote values that contain the delimiter ${describeDelimiter(this.delimiter)}, or add a name for the extra column to the header row.`,
					};
				}
				if (values.length !== width) {
					const fitted = values.slice(0, width);
					while (fitted.length < width) fitted.push('');
					yield { rowNumber, values: fitted, ...(record.problem && { problem: record.problem }) };
				} else {
					yield record;
				}
			}
			if (rows === 0) {
				throw new BuildProblemsError(
					[{ where: capital(this.file), message: 'has a header row but no data rows.', fix: 'Add one row per request below the header.' }],
					1,
				);
			}
		} finally {
			await this.close();
		}
	}

	private async nextRecord() {
		while (this.head === this.queue.length) {
			this.queue = [];
			this.head = 0;
			if (this.done) {
				if (this.parser && this.rest !== '') this.feed('', true);
				if (this.queue.length === 0) return undefined;
				break;
			}
			if (this.clock.due()) await this.clock.yield();
			// A row still open after a feed (a long quoted value, or a quote never closed) is parsed again from
			// its start by the next feed: gathering at least as much text as that row keeps the total linear,
			// and never more than takes it past the longest row allowed (the error then comes at once).
			const enough = Math.max(this.feedChars, Math.min(this.rest.length, MAX_ROW_CHARS + 1 - this.rest.length));
			// Yields inside the loop rather than stopping early: a feed cut short by a slow stream would parse the
			// open row again from its start.
			do {
				this.gathered += await this.nextText();
				if (this.gathered.length < enough && !this.done && this.clock.due()) await this.clock.yield();
			} while (this.gathered.length < enough && !this.done);
			const text = this.gathered;
			this.gathered = '';
			this.feed(text);
		}
		return this.queue[this.head++];
	}

	/** Parses what is complete of the text so far; with `final`, the rest too. */
	private feed(text: string, final = false): void {
		const input = this.rest + text;
		this.rest = '';
		if (input === '') return;
		const result = this.parser!.parse(input, 0, !final) as Papa.ParseResult<string[]>;
		const problems = new Map<number, CsvRow['problem']>();
		for (const error of result.errors) {
			problems.set(error.row ?? 0, {
				message: error.type === 'Quotes' ? `${error.message} (a quoted value is not closed, or a quote is misplaced).` : `${error.message}.`,
				fix:
					error.type === 'Quotes'
						? 'Close the quoted value with a second double quote ("), and write a quote inside a value as two ("").'
						: 'Check the file is a CSV/TSV file with a header row.',
			});
		}
		const data = result.data;
		for (let i = 0; i < data.length; i++) {
			const problem = problems.size > 0 ? problems.get(i) : undefined;
			this.queue.push(problem ? { rowNumber: this.records + i + 1, values: data[i], problem } : { rowNumber: this.records + i + 1, values: data[i] });
		}
		this.records += result.data.length;
		if (!final) {
			this.rest = input.slice(result.meta.cursor);
			if (this.rest.length > MAX_ROW_CHARS) {
				throw new BuildProblemsError(
					[
						{
							where: `Row ${this.records + 1}`,
							message: 'is longer than 32 million characters: a quoted value is probably not closed.',
							fix: 'Close the quoted value with a second double quote ("), and write a quote inside a value as two ("").',
						},
					],
					1,
					this.unreadable(),
				);
			}
		}
	}

	/** The next piece of text; sets `done` after the last. Bytes that are not text end the read with a clear error. */
	private async nextText(): Promise<string> {
		const next = await this.chunks.next();
		try {
			if (next.done) {
				this.done = true;
				return this.decoder.write(new Uint8Array(0), true);
			}
			return this.decoder.write(next.value);
		} catch (error) {
			if (!(error instanceof InvalidTextError)) throw error;
			throw this.encodingError(error);
		}
	}

	private encodingError(error: InvalidTextError): BuildProblemsError {
		// The text before the bad bytes tells which row they are in.
		if (this.parser) {
			const before = this.gathered + error.validText;
			this.gathered = '';
			if (before) this.feed(before);
		}
		const rowNumber = this.parser ? this.records + 1 : recordsIn(this.sniffed + error.validText);
		const other =
			error.encoding === 'UTF-8'
				? 'It was probably saved in another encoding: a file from Excel on Windows is usually Windows-1252. Set File Options → CSV Encoding to "Windows-1252" (or "ISO-8859-1"), or save the file as "CSV UTF-8".'
				: `Check the file's encoding and pick it in File Options → CSV Encoding.`;
		return new BuildProblemsError(
			[
				{
					where: `Row ${rowNumber}`,
					message: `is not valid ${error.encoding} text (at byte ${error.byteOffset.toLocaleString('en-US')} of the file). No character was replaced.`,
					fix: other,
				},
			],
			1,
			`Could not read ${this.file} as ${error.encoding} text; nothing was uploaded`,
		);
	}

	private unreadable(): string {
		return `Could not read ${this.file} as a table; nothing was uploaded`;
	}
}

async function* byteChunks(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
	if (source instanceof Uint8Array) {
		for (let at = 0; at < source.length; at += size) yield source.subarray(at, at + size);
		return;
	}
	// A stream's chunks (64 KB from a file) are cut to the same size.
	for await (const chunk of source as AsyncIterable<Uint8Array>) {
		for (let at = 0; at < chunk.length; at += size) yield at === 0 && chunk.length <= size ? chunk : chunk.subarray(at, at + size);
	}
}

function guessNewline(text: string): '\r\n' | '\n' | '\r' {
	const lf = text.indexOf('\n');
	if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
	if (lf !== -1) return '\n';
	return text.includes('\r') ? '\r' : '\n';
}

function checkHeader(columns: string[], rowNumber: number, headline: string): void {
	const positions = new Map<string, number[]>();
	columns.forEach((name, index) => {
		if (name === '') return;
		const at = positions.get(name);
		if (at) at.push(index + 1);
		else positions.set(name, [index + 1]);
	});
	const problems: Problem[] = [];
	for (const [name, at] of positions) {
		if (at.length < 2) continue;
		problems.push({
			where: `Row ${rowNumber}`,
			message: `the column name "${name}" appears ${at.length} times (columns ${formatNumberList(at)}).`,
			fix: 'Give each column its own name.',
		});
	}
	if (problems.length > 0) throw new BuildProblemsError(problems, problems.length, headline);
}

/** Which record (from 1) the end of `text` is in: the row of a byte that follows it. */
function recordsIn(text: string): number {
	if (text === '') return 1;
	const delimiter = detectDelimiter(text) ?? SINGLE_COLUMN;
	return new Papa.Parser({ delimiter, newline: guessNewline(text) }).parse(text, 0, false).data.length;
}

function describeDelimiter(delimiter: Delimiter): string {
	return delimiter === '\t' ? '(tab)' : `"${delimiter}"`;
}

function isBlank(values: string[]): boolean {
	for (let i = 0; i < values.length; i++) if (values[i].trim() !== '') return false;
	return true;
}

function capital(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
