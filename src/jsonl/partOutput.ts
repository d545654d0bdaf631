import type { BuildPlan, RowSource } from './build';

/** How many lines of a built JSONL file are kept, parsed, as its preview. */
export const JSONL_PREVIEW_LINES = 3;

/** What one part holds and where its rows come from, as shown in the node's output. */
export interface PartSummary {
	endpoint: BuildPlan['endpoint'];
	rows: number;
	bytes: number;
	/** Only for /v1/embeddings. */
	embeddingInputs?: number;
	/** "2/5". */
	part: string;
	groupId?: string;
	/** "Row 2", "Item 1". */
	firstRow: string;
	lastRow: string;
	fileName: string;
}

/** The file name of part `index` (from 0): "batch.jsonl" -> "batch.part-2-of-3.jsonl"; unchanged when there is one part. */
export function partFileName(fileName: string, index: number, parts: number): string {
	const name = fileName.trim() || 'batch-input.jsonl';
	if (parts === 1) return name;
	const dot = name.toLowerCase().endsWith('.jsonl') ? name.length - '.jsonl'.length : name.length;
	return `${name.slice(0, dot)}.part-${index + 1}-of-${parts}${name.slice(dot)}`;
}

/** The summary of part `index` (from 0) of a plan. */
export function partSummary(
	source: RowSource,
	plan: BuildPlan,
	index: number,
	fileName: string,
	groupId?: string,
): PartSummary {
	const part = plan.parts[index];
	return {
		endpoint: plan.endpoint,
		rows: part.lines,
		bytes: part.bytes,
		...(plan.endpoint === '/v1/embeddings' && { embeddingInputs: part.embeddingInputs }),
		part: `${index + 1}/${plan.parts.length}`,
		...(groupId && { groupId }),
		firstRow: `${source.noun} ${source.numberOf(part.first)}`,
		lastRow: `${source.noun} ${source.numberOf(part.end - 1)}`,
		fileName,
	};
}

/** The lines as UTF-8 bytes for a binary file, pushing the first few, parsed, onto `preview`. */
export async function* jsonlBytesWithPreview(
	lines: AsyncIterable<string>,
	preview: unknown[],
	previewLines = JSONL_PREVIEW_LINES,
): AsyncGenerator<Buffer> {
	for await (const chunk of lines) {
		if (preview.length < previewLines) {
			for (const line of chunk.split('\n')) {
				if (line && preview.length < previewLines) preview.push(JSON.parse(line));
			}
		}
		yield Buffer.from(chunk, 'utf8');
	}
}
