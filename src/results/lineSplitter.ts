const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_BRACE = 0x7b;
const EMPTY = Buffer.alloc(0);

/**
 * Splits a stream of bytes into lines on `\n`, one Buffer chunk at a time, without readline or a string
 * decoder: a line is decoded only when asked (`text()`), and only once it is complete, so a multi-byte
 * UTF-8 character split across chunks is never cut. A trailing `\r` is dropped, blank lines (whitespace
 * only) are skipped, a missing final newline is fine, and a byte-order mark at byte 0 of the file is dropped.
 *
 *     splitter.push(chunk);
 *     while (splitter.next()) use(splitter.buf, splitter.start, splitter.end);
 *     if (splitter.end()) use(...);
 *
 * The current line is `buf[start, end)`; `buf` may be the chunk itself or, for a line that spanned chunks,
 * a joined copy of just that line. Valid until the next call to `next()`, `push()` or `finish()`.
 */
export class LineSplitter {
	/** 1-based line number of the current line in the file, blank lines counted. */
	lineNumber = 0;
	buf: Buffer = EMPTY;
	start = 0;
	end = 0;

	#chunk: Buffer = EMPTY;
	#at = 0;
	#carry: Buffer[] = [];
	#carryBytes = 0;
	#fileStart = true;

	/** Gives the next chunk; call only once `next()` has returned false for the previous one. */
	push(chunk: Buffer): void {
		if (chunk.length === 0) return;
		if (this.#fileStart && this.#carryBytes + chunk.length < 3) {
			// Too few bytes to tell whether the file starts with a byte-order mark: wait for more.
			this.#carry.push(chunk);
			this.#carryBytes += chunk.length;
			return;
		}
		this.#chunk = chunk;
		this.#at = 0;
		if (this.#fileStart) {
			this.#fileStart = false;
			if (this.#carryBytes > 0) this.#joinCarryInto();
			if (this.#chunk[0] === 0xef && this.#chunk[1] === 0xbb && this.#chunk[2] === 0xbf) this.#at = 3;
		}
	}

	/** Moves to the next complete non-blank line of the current chunk; false when the chunk needs more bytes. */
	next(): boolean {
		const chunk = this.#chunk;
		while (this.#at < chunk.length) {
			const newline = chunk.indexOf(NEWLINE, this.#at);
			if (newline < 0) {
				this.#carry.push(this.#at === 0 ? chunk : chunk.subarray(this.#at));
				this.#carryBytes += chunk.length - this.#at;
				this.#at = chunk.length;
				return false;
			}
			this.lineNumber++;
			if (this.#carryBytes > 0) {
				this.#carry.push(chunk.subarray(this.#at, newline));
				this.buf = Buffer.concat(this.#carry, this.#carryBytes + newline - this.#at);
				this.start = 0;
				this.end = this.buf.length;
				this.#carry = [];
				this.#carryBytes = 0;
			} else {
				this.buf = chunk;
				this.start = this.#at;
				this.end = newline;
			}
			this.#at = newline + 1;
			if (this.end > this.start && this.buf[this.end - 1] === CARRIAGE_RETURN) this.end--;
			if (!this.#isBlank()) return true;
		}
		return false;
	}

	/** After the last chunk: moves to a final line that had no newline; false when there is none. */
	finish(): boolean {
		if (this.#fileStart) {
			// The whole file was shorter than a byte-order mark.
			this.#fileStart = false;
			if (this.#carryBytes === 0) return false;
			this.#joinCarryInto();
			this.#at = this.#chunk[0] === 0xef && this.#chunk[1] === 0xbb && this.#chunk[2] === 0xbf ? 3 : 0;
			if (this.next()) return true;
		}
		if (this.#carryBytes === 0) return false;
		this.lineNumber++;
		this.buf = this.#carry.length === 1 ? this.#carry[0] : Buffer.concat(this.#carry, this.#carryBytes);
		this.start = 0;
		this.end = this.buf.length;
		this.#carry = [];
		this.#carryBytes = 0;
		if (this.end > 0 && this.buf[this.end - 1] === CARRIAGE_RETURN) this.end--;
		return !this.#isBlank();
	}

	/** The current line as text (UTF-8). */
	text(): string {
		return this.buf.toString('utf8', this.start, this.end);
	}

	#joinCarryInto(): void {
		this.#carry.push(this.#chunk);
		this.#chunk = Buffer.concat(this.#carry, this.#carryBytes + this.#chunk.length);
		this.#carry = [];
		this.#carryBytes = 0;
	}

	/** Blank as `text.trim() === ''` says (the emulator's rule); a line starting with `{` is never blank. */
	#isBlank(): boolean {
		if (this.end === this.start) return true;
		if (this.buf[this.start] === OPEN_BRACE) return false;
		return this.text().trim() === '';
	}
}
