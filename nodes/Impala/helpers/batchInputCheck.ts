import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';
import { LIMITS } from '../../../src/schemas';

/** How many bytes of the file are read to tell a JSONL file from something else. */
const HEAD_BYTES = 64 * 1024;

/** Kinds of files people pick by mistake, by their first bytes. */
const SIGNATURES: Array<{ bytes: number[]; kind: string }> = [
	{ bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
	{ bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
	{ bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
	{ bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
	{ bytes: [0x50, 0x4b, 0x03, 0x04], kind: 'a ZIP archive (or an Excel or Word file)' },
	{ bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
	{ bytes: [0xff, 0xfe], kind: 'a text file saved as UTF-16' },
	{ bytes: [0xfe, 0xff], kind: 'a text file saved as UTF-16' },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * What is wrong with a file given as batch input, from its size and first bytes; undefined when it can
 * be a JSONL batch file (Impala checks every line).
 */
export function batchInputProblem(size: number, head: Uint8Array): string | undefined {
	if (size === 0) return 'is empty (0 bytes): a batch input file needs at least one request line';
	if (size > LIMITS.maxBatchFileBytes) {
		return `is ${megabytes(size)} MB; Impala takes batch input files of at most ${megabytes(LIMITS.maxBatchFileBytes)} MB`;
	}
	const signature = SIGNATURES.find(({ bytes }) => bytes.every((byte, index) => head[index] === byte));
	if (signature) return `is ${signature.kind}, not a JSONL file of requests`;
	let start = UTF8_BOM.every((byte, index) => head[index] === byte) ? UTF8_BOM.length : 0;
	while (start < head.length && [0x20, 0x09, 0x0a, 0x0d].includes(head[start])) start++;
	if (start < head.length && head[start] !== 0x7b /* { */) {
		return 'does not start with a JSON object: a batch input file is JSONL, one JSON request per line';
	}
	return undefined;
}

/**
 * File → Upload with purpose "batch": refuses, before any request, a file that cannot be a batch input
 * file (empty, over 200 MB, an image or other non-JSONL file), naming the item and the field.
 */
export async function assertBatchInputFile(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binary: IBinaryData,
	fieldName: string,
): Promise<void> {
	const { size, head } = await sizeAndHead(ctx, itemIndex, binary, fieldName);
	const problem = batchInputProblem(size, head);
	if (!problem) return;
	const name = binary.fileName ? `The file "${binary.fileName}"` : 'The file';
	throw new NodeOperationError(ctx.getNode(), `Input Binary Field: ${name} in the binary field "${fieldName}" ${problem}`, {
		itemIndex,
		description:
			'Purpose "Batch" takes a JSONL file with one request per line, at most 50,000 lines and 200 MB (build one with the Impala Batch Builder). For any other file, choose another Purpose. Nothing was uploaded.',
	});
}

async function sizeAndHead(ctx: IExecuteFunctions, itemIndex: number, binary: IBinaryData, fieldName: string) {
	if (!binary.id) {
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, fieldName);
		return { size: buffer.length, head: buffer.subarray(0, HEAD_BYTES) };
	}
	const { fileSize } = await ctx.helpers.getBinaryMetadata(binary.id);
	const stream = await ctx.helpers.getBinaryStream(binary.id, HEAD_BYTES);
	try {
		for await (const chunk of stream) return { size: fileSize, head: Buffer.from(chunk as Uint8Array) };
		return { size: fileSize, head: Buffer.alloc(0) };
	} finally {
		stream.destroy();
	}
}

function megabytes(bytes: number): string {
	return (bytes / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 1 });
}
