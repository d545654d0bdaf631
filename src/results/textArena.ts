/** Texts shorter than this stay strings: holding them costs the garbage collector little. */
const MIN_CHARS = 256;
/** Texts longer than this stay strings: V8 keeps such large strings where the collector does not copy them. */
const MAX_CHARS = 64 * 1024;
/** One arena block; a UTF-8 attempt of the longest text (3 bytes a char) always fits in an empty one. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** A text held in an arena block: `text()` gives it back exactly as it was given. */
export class HeldText {
	constructor(
		private readonly block: Buffer,
		private readonly start: number,
		private readonly end: number,
		private readonly twoByte: boolean,
	) {}

	text(): string {
		return this.block.toString(this.twoByte ? 'utf16le' : 'latin1', this.start, this.end);
	}
}

/**
 * Holds many long texts (the answers of 50,000 rows) in a few large Buffers, outside the JavaScript heap,
 * until they are needed again. Held as strings on the heap, every one of them would be copied twice by the
 * garbage collector (young generation, then old) while the join waits for the input file's order; this
 * is most of the time of a results join over large answers. Costs the same bytes as V8's own strings: a
 * text whose characters are all ASCII takes one byte a character (stored as Latin-1), any other two (as
 * UTF-16, which keeps every string exactly, lone surrogates included). Blocks are shared by many texts:
 * nothing here is kept per line of a file.
 */
export class TextArena {
	#block: Buffer | undefined;
	#at = 0;
	/** Every block, for tests (the number of Buffers held does not grow with the number of texts). */
	readonly blocks: Buffer[] = [];

	/** The text held in the arena, or the text itself when it is short or very long. */
	hold(text: string): HeldText | string {
		const chars = text.length;
		if (chars < MIN_CHARS || chars > MAX_CHARS) return text;
		let block = this.#block;
		if (!block || block.length - this.#at < chars * 3) {
			block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
			this.blocks.push(block);
			this.#block = block;
			this.#at = 0;
		}
		const start = this.#at;
		// As many bytes as characters in UTF-8: every character is ASCII, so the bytes are its Latin-1 too.
		const written = block.write(text, start, 'utf8');
		if (written === chars) {
			this.#at = start + chars;
			return new HeldText(block, start, this.#at, false);
		}
		this.#at = start + block.write(text, start, 'utf16le');
		return new HeldText(block, start, this.#at, true);
	}
}

