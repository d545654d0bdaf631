import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import type { Batch, FileObject, ListEnvelope } from '../../../src/schemas';
import { getImpalaClient } from '../../shared/client';
import { toNodeError } from '../../shared/errors';

const PAGE_SIZE = 100;
const MAX_METADATA_SHOWN = 3;
const MAX_VALUE_SHOWN = 30;

/**
 * Batches, newest first; each entry shows what tells batches apart: the input file's name, the status,
 * the metadata, the creation time and the ID.
 */
export async function batchSearch(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { page, fileNames } = await loadPage(this, async (client) => {
		const batches = await client.batches.listPage({ limit: PAGE_SIZE, after: paginationToken });
		return { page: batches, fileNames: await inputFileNames(this, client) };
	});
	return toResult(page, filter, (batch: Batch) => ({ name: batchEntryName(batch, fileNames.get(batch.input_file_id)), value: batch.id }));
}

/** How a batch shows in the picker, e.g. `rows.jsonl · completed · team=ops · created 2026-01-02 10:00 UTC · batch-abc`. */
function batchEntryName(batch: Batch, inputFileName: string | undefined): string {
	const metadata = Object.entries(batch.metadata ?? {})
		.slice(0, MAX_METADATA_SHOWN)
		.map(([key, value]) => `${key}=${shorten(String(value))}`)
		.join(', ');
	return [inputFileName ?? batch.input_file_id, batch.status, metadata, `created ${formatTime(batch.created_at)}`, batch.id]
		.filter(Boolean)
		.join(' · ');
}

/** Batch input file names by ID, from one list call; the picker still works (with file IDs) when it fails. */
async function inputFileNames(ctx: ILoadOptionsFunctions, client: ImpalaClient): Promise<Map<string, string>> {
	try {
		const files = await client.files.listPage({ purpose: 'batch' });
		return new Map(files.data.map((file) => [file.id, file.filename]));
	} catch (error) {
		ctx.logger.debug(`Impala: the batch list shows input file IDs because the files could not be listed: ${(error as Error).message}`);
		return new Map();
	}
}

function shorten(text: string): string {
	return text.length > MAX_VALUE_SHOWN ? `${text.slice(0, MAX_VALUE_SHOWN - 1)}…` : text;
}

/** Files with purpose "batch": the ones a batch can be created from. */
export async function batchInputFileSearch(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await loadPage(
		this,
		async (client) => await client.files.listPage({ purpose: 'batch', limit: PAGE_SIZE, after: paginationToken }),
	);
	return toResult(page, filter, fileEntry);
}

/** Every file, newest first. */
export async function fileSearch(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await loadPage(this, async (client) => await client.files.listPage({ limit: PAGE_SIZE, after: paginationToken }));
	return toResult(page, filter, fileEntry);
}

function fileEntry(file: FileObject): INodeListSearchItems {
	return { name: `${file.filename} · ${file.purpose} · ${file.id} · created ${formatTime(file.created_at)}`, value: file.id };
}

async function loadPage<T>(ctx: ILoadOptionsFunctions, load: (client: ImpalaClient) => Promise<T>): Promise<T> {
	try {
		return await load(await getImpalaClient(ctx));
	} catch (error) {
		throw toNodeError(ctx.getNode(), error);
	}
}

function toResult<T>(
	page: ListEnvelope<T>,
	filter: string | undefined,
	entry: (item: T) => INodeListSearchItems,
): INodeListSearchResult {
	const needle = filter?.trim().toLowerCase();
	const results = page.data.map(entry).filter((e) => !needle || e.name.toLowerCase().includes(needle));
	return { results, paginationToken: page.has_more && page.last_id ? page.last_id : undefined };
}

function formatTime(unixSeconds: number): string {
	return `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
