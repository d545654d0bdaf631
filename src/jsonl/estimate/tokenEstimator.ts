import { SliceClock } from '../../eventLoop';
import type { BatchEndpoint } from '../../schemas';
import { countablePieces, encodingForModel, loadTokenCounter, type ShippedEncoding } from './encoding';
import { collectRequestText, type Collected } from './requestText';

/**
 * How the estimate counts, documented once:
 * - the text each request's model reads (see `requestText`), plus MESSAGE_OVERHEAD tokens per message
 *   and REPLY_OVERHEAD per chat or responses request (the role markers and the start of the answer, as
 *   in OpenAI's own counting guide);
 * - with a tokenizer when the model's encoding is known (js-tiktoken's model map, o200k_base or
 *   cl100k_base), else CHARS_PER_TOKEN characters per token (a common rule of thumb for English);
 * - tokenizing costs several times more than building a line, so at most SAMPLE_ROWS requests are
 *   tokenized: every request of a small batch (the estimate is then an exact count), else a sample
 *   spread evenly over the whole input, and the other requests are counted from their characters at
 *   the sample's tokens per character. Measured (bench/estimate.ts, 50,000 chat rows of 250 characters):
 *   tokenizing every row costs about 4 s, 10 to 15 times the build; the hook costs ~12 ms (0.25 µs a
 *   row) and tokenizing the sample ~9 ms, a few percent of the build, and the estimate stays within
 *   0.1% of a full recount there. Loading o200k_base once per process takes 0.4 to 1.5 s, in slices;
 * - a long run without a break (DNA, base64, a line of dashes) is tokenized in pieces (`countablePieces`):
 *   the tokenizer's time grows with the square of such a run's length.
 */
export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD = 3;
export const REPLY_OVERHEAD = 3;
export const SAMPLE_ROWS = 128;
/** At most this many characters are tokenized (and kept until the build ends). */
export const SAMPLE_CHARS = 128_000;
/** A longer request is not tokenized (one call would hold the event loop): it is counted from its characters. */
export const MAX_SAMPLED_REQUEST_CHARS = 32_000;

/** The estimate of one part (rows from `firstRow` to `lastRow`, the numbers the user sees). */
export interface PartRange {
	firstRow: number;
	lastRow: number;
}

export interface TokenEstimate {
	/** Input tokens of each part, in order. */
	parts: number[];
	total: number;
	/** How it was counted, in plain words. */
	method: string;
}

/**
 * Collects what the estimate needs from each built request body (through `BuildSettings.onBody`),
 * cheaply: the characters of every request and the text of a spread sample. `estimate()` tokenizes
 * the sample after the build, yielding to the event loop.
 */
export class TokenEstimator {
	private readonly rowNumbers: number[] = [];
	private readonly chars: number[] = [];
	private readonly messages: number[] = [];
	private readonly collected: Collected = { texts: undefined, chars: 0, messages: 0 };
	/** Index (in the arrays above) -> the texts of a sampled request. */
	private sample = new Map<number, string[]>();
	private sampleChars = 0;
	/** Every `stride`-th request is in the sample; doubles when the sample is full. */
	private stride = 1;
	private model: string | undefined;
	private models = 0;
	private encoding: ShippedEncoding | undefined;

	constructor(
		private readonly endpoint: BatchEndpoint,
		private readonly options: { sampleRows?: number; sampleChars?: number } = {},
	) {}

	/** For `BuildSettings.onBody`. */
	readonly onBody = (body: Record<string, unknown>, row: { number: number }): void => {
		const model = typeof body.model === 'string' ? body.model : '';
		if (model !== this.model) this.seeModel(model);
		const index = this.chars.length;
		const sampled = this.encoding !== undefined && index % this.stride === 0;
		const text = this.collected;
		text.texts = sampled ? [] : undefined;
		collectRequestText(this.endpoint, body, text);
		this.rowNumbers.push(row.number);
		this.chars.push(text.chars);
		this.messages.push(text.messages);
		if (sampled && text.texts && text.chars <= MAX_SAMPLED_REQUEST_CHARS) {
			this.sample.set(index, text.texts);
			this.sampleChars += text.chars;
			if (this.sample.size > (this.options.sampleRows ?? SAMPLE_ROWS) || this.sampleChars > (this.options.sampleChars ?? SAMPLE_CHARS)) {
				this.thin();
			}
		}
	};

	/** The estimate per part; `parts` are the build's parts (contiguous ranges of rows, in order). */
	async estimate(parts: readonly PartRange[], clock = new SliceClock()): Promise<TokenEstimate> {
		const rows = this.chars.length;
		let perRow: (index: number) => number;
		let method: string;
		if (this.encoding && this.sample.size > 0) {
			const counter = await loadTokenCounter(this.encoding, clock);
			const counted = new Map<number, number>();
			let sampleTokens = 0;
			let sampleChars = 0;
			for (const [index, texts] of this.sample) {
				let tokens = 0;
				for (const text of texts) {
					for (const piece of countablePieces(text)) {
						if (clock.due()) await clock.yield();
						tokens += counter.count(piece);
					}
				}
				counted.set(index, tokens);
				sampleTokens += tokens;
				sampleChars += this.chars[index];
			}
			const perChar = sampleChars > 0 ? sampleTokens / sampleChars : 0;
			perRow = (index) => counted.get(index) ?? this.chars[index] * perChar;
			const how = `${this.encoding} tokenizer (model ${this.model})`;
			method =
				counted.size === rows
					? `${how}, every request counted`
					: `${how} on a sample of ${counted.size.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} requests spread over the input; the others from their characters (${round(perChar > 0 ? 1 / perChar : 0, 2)} per token in the sample)`;
		} else {
			perRow = (index) => this.chars[index] / CHARS_PER_TOKEN;
			const why =
				this.models > 1
					? 'the requests use several models'
					: this.encoding
						? `every request is too long to tokenize quickly (over ${MAX_SAMPLED_REQUEST_CHARS.toLocaleString('en-US')} characters)`
						: `no known tokenizer for model "${this.model ?? ''}"`;
			method = `${CHARS_PER_TOKEN} characters per token (${why})`;
		}
		method += `, plus ${MESSAGE_OVERHEAD} tokens per message and ${REPLY_OVERHEAD} per request`;

		const byPart: number[] = [];
		let index = 0;
		for (const part of parts) {
			let tokens = 0;
			while (index < rows && this.rowNumbers[index] < part.firstRow) index++;
			while (index < rows && this.rowNumbers[index] <= part.lastRow) {
				if ((index & 4095) === 0 && clock.due()) await clock.yield();
				tokens += perRow(index) + overhead(this.messages[index]);
				index++;
			}
			byPart.push(Math.ceil(tokens - 1e-9));
		}
		return { parts: byPart, total: byPart.reduce((sum, n) => sum + n, 0), method };
	}

	private seeModel(model: string): void {
		this.models++;
		if (this.models === 1) {
			this.model = model;
			this.encoding = encodingForModel(model);
			return;
		}
		// Several models: the character rule for all (the sample is no longer needed).
		this.model = model;
		this.encoding = undefined;
		this.sample.clear();
		this.sampleChars = 0;
	}

	/** Keeps every other sampled request (a spread over all requests so far), and samples half as often. */
	private thin(): void {
		this.stride *= 2;
		const kept = new Map<number, string[]>();
		let chars = 0;
		for (const [index, texts] of this.sample) {
			if (index % this.stride === 0) {
				kept.set(index, texts);
				chars += this.chars[index];
			}
		}
		this.sample = kept;
		this.sampleChars = chars;
	}
}

/** The message format's tokens of a request with `messages` messages. */
function overhead(messages: number): number {
	return messages > 0 ? messages * MESSAGE_OVERHEAD + REPLY_OVERHEAD : 0;
}

function round(value: number, digits: number): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
