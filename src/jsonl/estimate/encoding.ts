import type { Tiktoken, TiktokenBPE, TiktokenModel } from 'js-tiktoken/lite';
import type { SliceClock } from '../../eventLoop';

/** The encodings the package ships (js-tiktoken's bundled ranks); other models use the character rule. */
export type ShippedEncoding = 'o200k_base' | 'cl100k_base';

/** Counts the tokens of a text. */
export interface TokenCounter {
	readonly encoding: ShippedEncoding;
	count(text: string): number;
}

type Lite = typeof import('js-tiktoken/lite');

let lite: Lite | undefined;

/** js-tiktoken's small part (no ranks), loaded the first time a model name is looked up. */
function tiktokenLite(): Lite {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	lite ??= require('js-tiktoken/lite') as Lite;
	return lite;
}

/**
 * The encoding of a model in js-tiktoken's model map (e.g. gpt-4o -> o200k_base, gpt-4 ->
 * cl100k_base), also when the name has a provider prefix ("openai/gpt-4o"). Undefined for a model
 * the map does not know (most open models: Llama, Qwen, Mistral...) or whose encoding is not shipped.
 */
export function encodingForModel(model: string): ShippedEncoding | undefined {
	const { getEncodingNameForModel } = tiktokenLite();
	const names = [model, model.slice(model.lastIndexOf('/') + 1)];
	for (const name of names) {
		let encoding: string | undefined;
		try {
			encoding = getEncodingNameForModel(name as TiktokenModel);
		} catch {
			encoding = undefined; // "Unknown model"
		}
		if (encoding === 'o200k_base' || encoding === 'cl100k_base') return encoding;
		if (encoding !== undefined) return undefined;
	}
	return undefined;
}

/** The ranks of an encoding (a 1-2 MB module), required only when a known model needs them. */
function ranksOf(encoding: ShippedEncoding): TiktokenBPE {
	/* eslint-disable @typescript-eslint/no-require-imports */
	switch (encoding) {
		case 'o200k_base':
			return require('js-tiktoken/ranks/o200k_base') as TiktokenBPE;
		case 'cl100k_base':
			return require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE;
	}
	/* eslint-enable @typescript-eslint/no-require-imports */
}

const loaded = new Map<ShippedEncoding, Promise<TokenCounter>>();

/**
 * The tokenizer of an encoding, made once per process. js-tiktoken's constructor decodes its 200,000
 * ranks in one go (0.5 to 1.5 s that would hold the event loop), so the same table is filled here in
 * slices that yield to the event loop, into the tokenizer's own rank map. Should that map ever not be
 * there (another js-tiktoken version), the constructor is used as it is.
 */
export function loadTokenCounter(encoding: ShippedEncoding, clock: SliceClock): Promise<TokenCounter> {
	let counter = loaded.get(encoding);
	if (!counter) {
		counter = makeCounter(encoding, clock);
		loaded.set(encoding, counter);
		counter.catch(() => loaded.delete(encoding));
	}
	return counter;
}

async function makeCounter(encoding: ShippedEncoding, clock: SliceClock): Promise<TokenCounter> {
	const { Tiktoken: TiktokenClass } = tiktokenLite();
	const ranks = ranksOf(encoding);
	if (clock.due()) await clock.yield();
	const empty = new TiktokenClass({ ...ranks, bpe_ranks: '' });
	const rankMap = (empty as unknown as { rankMap?: unknown }).rankMap;
	const tokenizer: Tiktoken = rankMap instanceof Map ? empty : new TiktokenClass(ranks);
	if (rankMap instanceof Map) await fillRanks(rankMap as Map<string, number>, ranks.bpe_ranks, clock);
	return {
		encoding,
		// Text that looks like a special token ("<|endoftext|>") is counted as ordinary text, as the API reads it.
		count: (text) => tokenizer.encode(text, [], []).length,
	};
}

/** 200 characters without a break (or 200 of whitespace): where `countablePieces` cuts. */
const LONG_RUN = /[^\s]{200}|\s{200}/g;

/**
 * The text in pieces to count one by one: cut after every 200 characters of a run without a break (DNA,
 * hex, base64, a line of dashes, pages of spaces). js-tiktoken merges the pairs of one such run in time
 * that grows with the square of its length (about 1 s for 4,000 characters, in one call that holds the
 * event loop); cut, a 32,000-character run takes milliseconds per piece and the count stays within a
 * few tokens. Text with normal breaks comes out whole, so its count is exact.
 */
export function* countablePieces(text: string): Generator<string> {
	let at = 0;
	for (const match of text.matchAll(LONG_RUN)) {
		const end = match.index + match[0].length;
		yield text.slice(at, end);
		at = end;
	}
	if (at < text.length || at === 0) yield text.slice(at);
}

/** What js-tiktoken's constructor does with `bpe_ranks` ("! <offset> <base64 token> ..." lines), in slices. */
async function fillRanks(rankMap: Map<string, number>, bpeRanks: string, clock: SliceClock): Promise<void> {
	for (const line of bpeRanks.split('\n')) {
		if (!line) continue;
		const parts = line.split(' ');
		const offset = Number.parseInt(parts[1], 10);
		for (let i = 2; i < parts.length; i++) {
			if ((i & 1023) === 0 && clock.due()) await clock.yield();
			rankMap.set(Buffer.from(parts[i], 'base64').join(','), offset + i - 2);
		}
	}
}
