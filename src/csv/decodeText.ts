/**
 * Bytes of a CSV/TSV file as text. A byte-order mark is removed; a UTF-16 mark (Excel's "Unicode
 * text" export) switches the decoding. Anything else is read as UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
	if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
	if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
	// TextDecoder drops a UTF-8 BOM by itself.
	return new TextDecoder('utf-8').decode(bytes);
}

export function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
