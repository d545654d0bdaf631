/** U+FEFF, the byte-order mark: the bytes EF BB BF at the start of a UTF-8 file. */
export const BYTE_ORDER_MARK = '\ufeff';

/**
 * The one byte-order-mark rule for every file we read (CSV/TSV, JSONL input, output and error files):
 * a BOM is dropped only at byte offset 0 of a file, as UTF-8 decoders do. Pass only the text that
 * starts the file; a U+FEFF anywhere later is content, so a later JSONL line starting with one is
 * invalid JSON for the emulator and the results reader alike.
 */
export function stripFileBom(fileStart: string): string {
	return fileStart.startsWith(BYTE_ORDER_MARK) ? fileStart.slice(1) : fileStart;
}
