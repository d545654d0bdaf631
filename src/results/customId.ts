const PREFIX = Buffer.from('{"custom_id":"');
const KEY = Buffer.from('"custom_id"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;

/**
 * The custom_id of a request line `buf[start, end)` read without parsing its body, when the line has the
 * usual shape: it starts with `{"custom_id":"`, the ID has no escapes, and no other `"custom_id"` key
 * follows (JSON.parse would take the last one). Undefined otherwise: then parse the line.
 * Works on the bytes: in UTF-8 the bytes of `"` and `\` never occur inside a multi-byte character.
 */
export function fastCustomId(buf: Buffer, start: number, end: number): string | undefined {
	const idStart = start + PREFIX.length;
	if (end - idStart < 2 || buf[end - 1] !== CLOSE_BRACE) return undefined;
	for (let i = 0; i < PREFIX.length; i++) if (buf[start + i] !== PREFIX[i]) return undefined;
	let close = idStart;
	for (; close < end; close++) {
		const byte = buf[close];
		if (byte === QUOTE) break;
		// An escape, or a control character JSON does not allow: JSON.parse decides.
		if (byte === BACKSLASH || byte < 0x20) return undefined;
	}
	const after = buf[close + 1];
	if (close + 1 >= end || (after !== COMMA && after !== CLOSE_BRACE)) return undefined;
	const again = buf.indexOf(KEY, close + 1);
	if (again !== -1 && again < end) return undefined;
	return buf.toString('utf8', idStart, close);
}
