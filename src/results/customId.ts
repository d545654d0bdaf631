const KEY = Buffer.from('"custom_id"');
const ID_KEY = Buffer.from('"id"');
const NULL = Buffer.from('null');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * The custom_id of a JSONL line `buf[start, end)` read without parsing the rest, when the line has one of
 * the usual shapes: `{"custom_id":"…",…}` (request lines) or `{"id":"…"|null,"custom_id":"…",…}` (output
 * and error lines), whitespace allowed between tokens, the values free of escapes, and no other
 * `"custom_id"` key later in the line (JSON.parse would take the last one). Undefined otherwise: then
 * parse the line. Works on the bytes: in UTF-8 the bytes of `"` and `\` never occur inside a multi-byte
 * character, so the ID is decoded exactly as JSON.parse of the decoded line would give it.
 */
export function fastCustomId(buf: Buffer, start: number, end: number): string | undefined {
	while (end > start && isSpace(buf[end - 1])) end--;
	if (buf[end - 1] !== CLOSE_BRACE) return undefined;
	let at = skipSpace(buf, start, end);
	if (buf[at] !== OPEN_BRACE) return undefined;
	at = skipSpace(buf, at + 1, end);
	if (startsWith(buf, at, end, ID_KEY)) {
		at = afterColon(buf, at + ID_KEY.length, end);
		if (at < 0) return undefined;
		if (startsWith(buf, at, end, NULL)) at += NULL.length;
		else {
			const close = closingQuote(buf, at, end);
			if (close < 0) return undefined;
			at = close + 1;
		}
		at = skipSpace(buf, at, end);
		if (buf[at] !== COMMA) return undefined;
		at = skipSpace(buf, at + 1, end);
	}
	if (!startsWith(buf, at, end, KEY)) return undefined;
	const idStart = afterColon(buf, at + KEY.length, end);
	if (idStart < 0) return undefined;
	const close = closingQuote(buf, idStart, end);
	if (close < 0) return undefined;
	const next = skipSpace(buf, close + 1, end);
	if (buf[next] !== COMMA && buf[next] !== CLOSE_BRACE) return undefined;
	if (next >= end) return undefined;
	if (hasKeyAfter(buf, next, end)) return undefined;
	return buf.toString('utf8', idStart + 1, close);
}

const UNDERSCORE = 0x5f;
const BEFORE_UNDERSCORE = Buffer.from('"custom');
const AFTER_UNDERSCORE = Buffer.from('id"');

/**
 * Whether `"custom_id"` occurs in `buf[from, end)`. Looks for `_` (a single-byte search, much faster than
 * a search for the whole key over a long line, and `_` is rare in prompts and answers) and checks around it.
 */
function hasKeyAfter(buf: Buffer, from: number, end: number): boolean {
	for (let at = buf.indexOf(UNDERSCORE, from); at !== -1 && at < end; at = buf.indexOf(UNDERSCORE, at + 1)) {
		if (at - BEFORE_UNDERSCORE.length >= from && startsWith(buf, at - BEFORE_UNDERSCORE.length, end, BEFORE_UNDERSCORE) && startsWith(buf, at + 1, end, AFTER_UNDERSCORE)) {
			return true;
		}
	}
	return false;
}

/** Position after `ws : ws` when it follows; -1 otherwise. */
function afterColon(buf: Buffer, at: number, end: number): number {
	at = skipSpace(buf, at, end);
	if (buf[at] !== COLON) return -1;
	return skipSpace(buf, at + 1, end);
}

/** For a string starting at `at` (its opening quote), the position of its closing quote when it has no escape. */
function closingQuote(buf: Buffer, at: number, end: number): number {
	if (buf[at] !== QUOTE) return -1;
	for (let i = at + 1; i < end; i++) {
		const byte = buf[i];
		if (byte === QUOTE) return i;
		// An escape, or a control character JSON does not allow: JSON.parse decides.
		if (byte === BACKSLASH || byte < 0x20) return -1;
	}
	return -1;
}

function startsWith(buf: Buffer, at: number, end: number, token: Buffer): boolean {
	if (end - at < token.length) return false;
	for (let i = 0; i < token.length; i++) if (buf[at + i] !== token[i]) return false;
	return true;
}

function skipSpace(buf: Buffer, at: number, end: number): number {
	while (at < end && isSpace(buf[at])) at++;
	return at;
}

/** JSON's whitespace: space, tab, line feed, carriage return. */
function isSpace(byte: number): boolean {
	return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
