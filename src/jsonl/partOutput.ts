import type { BuildResult } from './build';
import type { PartEstimate } from './estimate/partEstimate';

/** How many lines of a built JSONL file are kept, parsed, as its preview. */
export const JSONL_PREVIEW_LINES = 3;

/** What one part holds and where its rows come from, as shown in the node's output. */
export interface PartSummary {
	endpoint: BuildResult['endpoint'];
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
	/** The estimate of input tokens (and cost, with a price): this part and all parts. */
	estimate?: PartEstimate;
}

/** The file name of part `index` (from 0): "batch.jsonl" -> "batch.part-2-of-3.jsonl"; unchanged when there is one part. */
export function partFileName(fileName: string, index: number, parts: number): string {
	const name = fileName.trim() || 'batch-input.jsonl';
	if (parts === 1) return name;
	const dot = name.toLowerCase().endsWith('.jsonl') ? name.length - '.jsonl'.length : name.length;
	return `${name.slice(0, dot)}.part-${index + 1}-of-${parts}${name.slice(dot)}`;
}

/** The summary of part `index` (from 0) of a build. */
export function partSummary(build: BuildResult, index: number, fileName: string, groupId?: string, estimate?: PartEstimate): PartSummary {
	const part = build.parts[index];
	return {
		endpoint: build.endpoint,
		rows: part.lines,
		bytes: part.bytes,
		...(build.endpoint === '/v1/embeddings' && { embeddingInputs: part.embeddingInputs }),
		part: `${index + 1}/${build.parts.length}`,
		...(groupId && { groupId }),
		firstRow: `${build.noun} ${part.firstRow}`,
		lastRow: `${build.noun} ${part.lastRow}`,
		fileName,
		...(estimate && { estimate }),
	};
}
