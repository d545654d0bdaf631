import { createHash, randomBytes } from 'node:crypto';

/** A fresh id like `file-3f9a…` / `batch-…`; random so ids never repeat across emulator runs. */
export function newId(prefix: 'file' | 'batch'): string {
	return `${prefix}-${randomBytes(12).toString('hex')}`;
}

/** A short stable hex digest: the same text always gives the same id or number. */
export function stableHash(text: string, length = 24): string {
	return createHash('sha256').update(text).digest('hex').slice(0, length);
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}
