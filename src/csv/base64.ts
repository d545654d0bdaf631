/**
 * The bytes of base64 text, decoded a piece at a time (n8n keeps a binary in memory as base64: this
 * reads it without a second whole copy).
 */
export function* base64Chunks(base64: string, chunkBytes = 256 * 1024): Generator<Uint8Array> {
	const step = Math.max(4, Math.floor((chunkBytes / 3) * 4) - (Math.floor((chunkBytes / 3) * 4) % 4));
	for (let at = 0; at < base64.length; at += step) yield Buffer.from(base64.slice(at, at + step), 'base64');
}
