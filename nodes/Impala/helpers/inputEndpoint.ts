import type { ImpalaClient } from '../../../src/client';
import { readLines } from '../../../src/results';
import { BATCH_ENDPOINTS, normalizeEndpoint, type BatchEndpoint } from '../../../src/schemas';
import { ENDPOINT_OPTIONS } from '../../shared/descriptions';

/** How many request lines of the input file Batch → Create reads to check their `url`. */
const LINES_CHECKED = 5;

export interface EndpointMismatch {
	field: 'Endpoint';
	message: string;
	fix: string;
}

/**
 * Reads the first request lines of the input file and compares their `url` with the chosen endpoint, so
 * a batch that Impala would fail for a wrong Endpoint is not created. Lines that are not JSON objects
 * with a text `url` are left to Impala's own checks; the rest of the file is not downloaded.
 */
export async function inputEndpointMismatch(
	client: ImpalaClient,
	inputFileId: string,
	endpoint: BatchEndpoint,
	signal?: AbortSignal,
): Promise<EndpointMismatch | undefined> {
	let checked = 0;
	for await (const line of readLines(await client.files.content(inputFileId, { signal }))) {
		if (++checked > LINES_CHECKED) break;
		const url = urlOf(line.text);
		if (url === undefined || normalizeEndpoint(url) === endpoint) continue;
		return describeMismatch(url, line.lineNumber, inputFileId, endpoint);
	}
	return undefined;
}

function urlOf(text: string): string | undefined {
	try {
		const parsed = JSON.parse(text) as unknown;
		const url = parsed && typeof parsed === 'object' ? (parsed as { url?: unknown }).url : undefined;
		return typeof url === 'string' ? url : undefined;
	} catch {
		return undefined;
	}
}

function describeMismatch(url: string, lineNumber: number, fileId: string, endpoint: BatchEndpoint): EndpointMismatch {
	const fileEndpoint = (BATCH_ENDPOINTS as readonly string[]).includes(normalizeEndpoint(url))
		? (normalizeEndpoint(url) as BatchEndpoint)
		: undefined;
	const chosen = `"${endpointName(endpoint)}" (${endpoint})`;
	if (fileEndpoint) {
		return {
			field: 'Endpoint',
			message: `is ${chosen}, but the requests in the input file ${fileId} are for ${endpointName(fileEndpoint)} (line ${lineNumber} has the url ${url})`,
			fix: `Set "Endpoint" to "${endpointName(fileEndpoint)}", the endpoint the file's requests were written for. No batch was created.`,
		};
	}
	return {
		field: 'Endpoint',
		message: `is ${chosen}, but line ${lineNumber} of the input file ${fileId} has the url "${url}", which is not a batch endpoint`,
		fix: `Each line's url must be the batch's endpoint (${BATCH_ENDPOINTS.join(', ')}). Correct the file's lines, upload it again and create the batch from the new file. No batch was created.`,
	};
}

function endpointName(endpoint: BatchEndpoint): string {
	return ENDPOINT_OPTIONS.find((option) => option.value === endpoint)?.name ?? endpoint;
}
