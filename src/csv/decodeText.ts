import { isUtf8 } from 'node:buffer';
import { stripFileBom } from '../schemas';

/** The encodings a CSV/TSV file may be read with. `auto`: UTF-8, or UTF-16 when the file starts with its mark. */
export const CSV_ENCODINGS = ['auto', 'utf-8', 'utf-16', 'windows-1252', 'iso-8859-1'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/** Bytes that are not valid text in the chosen encoding; `byteOffset` counts from the start of the file. */
export class InvalidTextError extends Error {
	constructor(
		readonly encoding: string,
		readonly byteOffset: number,
		/** The text decoded up to the bad bytes. */
		readonly validText: string,
	) {
		super(`not valid ${encoding} text`);
		this.name = 'InvalidTextError';
	}
}

type Decode = (bytes: Uint8Array, final: boolean) => string;

/**
 * Decodes a file chunk by chunk, whatever the chunk boundaries (a character cut between two chunks is
 * kept until its end arrives). Never replaces a character: bytes that are not valid text throw an
 * InvalidTextError. The byte-order mark is dropped only at the start of the file (`stripFileBom`).
 */
export class TextChunkDecoder {
	private head: Uint8Array | undefined = new Uint8Array(0);
	private decode?: Decode;
	private offset = 0;
	private started = false;
	/** What the file turned out to be, once known. */
	detected?: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'iso-8859-1';

	constructor(private readonly encoding: CsvEncoding = 'auto') {}

	/** The text of `bytes`; pass `final` with the last chunk (it may be empty). */
	write(bytes: Uint8Array, final = false): string {
		if (this.head) {
			// The first bytes decide the encoding: wait for enough of them to see a byte-order mark.
			const head = concat(this.head, bytes);
			if (head.length < 3 && !final) {
				this.head = head;
				return '';
			}
			this.head = undefined;
			this.choose(head);
			bytes = head;
		}
		const text = this.decode!(bytes, final);
		if (this.started || text === '') return text;
		this.started = true;
		return stripFileBom(text);
	}

	private choose(head: Uint8Array): void {
		const bom16 = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : undefined;
		switch (this.encoding) {
			case 'windows-1252':
				return this.useTextDecoder('windows-1252');
			case 'iso-8859-1':
				this.detected = 'iso-8859-1';
				// Every byte is a character (0x80-0x9F included): latin1 is exactly ISO-8859-1.
				this.decode = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
				return;
			case 'utf-16':
				return this.useTextDecoder(bom16 ?? 'utf-16le');
			default:
				if (bom16) return this.useTextDecoder(bom16);
				return this.useUtf8();
		}
	}

	private useTextDecoder(encoding: 'windows-1252' | 'utf-16le' | 'utf-16be'): void {
		this.detected = encoding;
		// ignoreBOM: the mark is dropped by the one rule (stripFileBom), not by the decoder.
		const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
		this.decode = (bytes, final) => {
			try {
				const text = decoder.decode(bytes, { stream: !final });
				this.offset += bytes.length;
				return text;
			} catch {
				throw new InvalidTextError(encoding === 'windows-1252' ? 'Windows-1252' : 'UTF-16', this.offset, '');
			}
		};
	}

	/** UTF-8 with a character cut at a chunk's end kept for the next chunk, so each decode is whole. */
	private useUtf8(): void {
		this.detected = 'utf-8';
		const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
		let carry = new Uint8Array(0);
		this.decode = (chunk, final) => {
			const bytes = carry.length > 0 ? concat(carry, chunk) : chunk;
			const cut = final ? bytes.length : completeUtf8Length(bytes);
			carry = bytes.slice(cut);
			const whole = bytes.subarray(0, cut);
			const start = this.offset;
			// Checked first (fast, native), then decoded: a decoder alone would replace bad bytes silently.
			if (!isUtf8(whole)) {
				const bad = firstInvalidUtf8(whole);
				throw new InvalidTextError('UTF-8', start + bad, decoder.decode(whole.subarray(0, bad)));
			}
			this.offset += cut;
			return Buffer.from(whole.buffer, whole.byteOffset, whole.length).toString('utf8');
		};
	}
}

/** The length of `bytes` without a UTF-8 character cut at its end. */
function completeUtf8Length(bytes: Uint8Array): number {
	const n = bytes.length;
	for (let back = 1; back <= Math.min(3, n); back++) {
		const byte = bytes[n - back];
		if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
		const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
		return need > back ? n - back : n;
	}
	return n;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 character. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		let need = 0;
		let min = 0;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) {
			need = 1;
			min = 0x80;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			min = 0x800;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			min = 0x10000;
		} else return i;
		if (i + need >= bytes.length) return i;
		let code = b & (0x3f >> need);
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined || (c & 0xc0) !== 0x80) return i;
			code = (code << 6) | (c & 0x3f);
		}
		if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
		i += need + 1;
	}
	return bytes.length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.length === 0) return b;
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

/** Bytes of a whole CSV/TSV file as text (small files and tests); see TextChunkDecoder. */
export function decodeText(bytes: Uint8Array, encoding: CsvEncoding = 'auto'): string {
	return new TextChunkDecoder(encoding).write(bytes, true);
}
