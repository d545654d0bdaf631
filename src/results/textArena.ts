/** Texts shorter than this stay strings: holding them costs the garbage collector little. */
const MIN_CHARS = 256;
/** Texts longer than this stay strings: V8 keeps strings this large where its collector does not copy them. */
const MAX_CHARS = 64 * 1024;
/** One block; the UTF-8 attempt of the longest text held (3 bytes a character at most) fits in an empty one. */
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
 * Holds many long texts (the answers of 50,000 rows) outside the JavaScript heap, in a few large Buffers,
 * while the results join waits for the input file's order. Held as 50,000 strings, each would be copied
 * twice by the garbage collector (young generation, then old): profiled, that was most of the time of a
 * join over large answers. The bytes are the same as V8's own strings: a text whose characters are all
 * ASCII takes one byte a character (read back as Latin-1), any other text two (UTF-16, which gives back
 * every string exactly, lone surrogates included). Blocks are shared by many texts: nothing is kept per
 * line of a file, and the blocks go when the arena does.
 */
export class TextArena {
	#block: Buffer | undefined;
	#at = 0;
	/** Blocks made so far (grows with the bytes held, not with the number of texts). */
	blocks = 0;

	/** The text held in the arena, or the text itself when it is short or very long. */
	hold(text: string): HeldText | string {
		const chars = text.length;
		if (chars < MIN_CHARS || chars > MAX_CHARS) return text;
		let block = this.#block;
		if (!block || block.length - this.#at < chars * 3) {
			block = Buffer.allocUnsafeSlow(BLOCK_BYTES);
			this.blocks++;
			this.#block = block;
			this.#at = 0;
		}
		const start = this.#at;
		// As many UTF-8 bytes as characters: every character is ASCII, so these bytes are its Latin-1 too.
		const written = block.write(text, start, 'utf8');
		this.#at = start + (written === chars ? written : block.write(text, start, 'utf16le'));
		return new HeldText(block, start, this.#at, written !== chars);
	}
}
