import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import type { Batch, FileObject, ListEnvelope } from '../../../src/schemas';
import { getImpalaClient } from '../../shared/client';
import { toNodeError } from '../../shared/errors';

const PAGE_SIZE = 100;

/** Batches, newest first; each entry shows its status and creation time. */
export async function batchSearch(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await loadPage(this, async (client) => await client.batches.listPage({ limit: PAGE_SIZE, after: paginationToken }));
	return toResult(page, filter, (batch: Batch) => ({
		name: `${batch.id} · ${batch.status} · created ${formatTime(batch.created_at)}`,
		value: batch.id,
	}));
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

async function loadPage<T>(ctx: ILoadOptionsFunctions, load: (client: ImpalaClient) => Promise<ListEnvelope<T>>) {
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
