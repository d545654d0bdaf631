import { stripFileBom } from '../schemas';

/**
 * Bytes of a CSV/TSV file as text, its byte-order mark removed (the one rule, `stripFileBom`). A UTF-16
 * mark (Excel's "Unicode text" export) switches the decoding. Anything else is read as UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
	// ignoreBOM keeps the decoder from dropping the mark itself, so the rule lives in one place.
	const decoder = new TextDecoder(utf16Encoding(bytes) ?? 'utf-8', { ignoreBOM: true });
	return stripFileBom(decoder.decode(bytes));
}

function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
	if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
	if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
	return undefined;
}
