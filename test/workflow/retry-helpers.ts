import type { IDataObject, INodeExecutionData, IRun } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import type { Batch, CreateBatchBody } from '../../src/schemas';
import { call, requestLine, waitForTerminal, type Emulator } from '../helpers/emulator';
import { nodeOutput, runWorkflow } from '../helpers/workflow';
import { byId, loadSingleOperation } from './fixtures/impala/helpers';

/** A client straight to the emulator (setting up and checking; the node under test builds its own). */
export function directClient(emu: Emulator): ImpalaClient {
	return new ImpalaClient({ baseUrl: emu.url, reconcileDelayMs: 5, retryBaseDelayMs: 1 });
}

/** Chat lines a..: `fail` ids use the emulator's failing model (they fail until another model is sent). */
export function chatLines(ids: string[], failing: string[] = []): string[] {
	return ids.map((id) => requestLine(id, `question ${id} ½ "quoted"`, '/v1/chat/completions', failing.includes(id) ? 'impala-fail' : 'm'));
}

/** Uploads `lines` (one per line, \n-ended) and creates a batch; `wait` waits until it ends. */
export async function startBatch(
	emu: Emulator,
	lines: string[],
	options: { wait?: boolean; body?: Partial<CreateBatchBody> } = {},
): Promise<Batch> {
	const client = directClient(emu);
	const file = await client.files.upload({ file: Buffer.from(lines.map((l) => `${l}\n`).join('')), filename: 'original.jsonl' });
	const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', ...options.body });
	return options.wait === false ? batch : await waitForTerminal(client, batch.id);
}

/** Every batch on the emulator, newest first. */
export async function allBatches(emu: Emulator): Promise<Batch[]> {
	const batches: Batch[] = [];
	for await (const batch of directClient(emu).batches.list({ limit: 100 })) batches.push(batch);
	return batches;
}

/** Every batch input file on the emulator (purpose "batch"; output and error files left out). */
export async function inputFiles(emu: Emulator): Promise<Array<{ id: string; filename: string }>> {
	return (await call<{ data: Array<{ id: string; filename: string }> }>(emu, 'GET', '/v1/files?purpose=batch')).body.data;
}

/** A file's bytes as the emulator serves them. */
export async function fileText(emu: Emulator, fileId: string): Promise<string> {
	const { status, body } = await call<string>(emu, 'GET', `/v1/files/${fileId}/content`);
	if (status !== 200) throw new Error(`content of ${fileId}: ${status}`);
	return body;
}

/** Runs Impala → Batch → Retry Failed Requests on `batchId` through the engine, against `baseUrl`. */
export async function runRetry(baseUrl: string, batchId: string, options: IDataObject = {}, continueOnFail = false): Promise<IRun> {
	const workflow = loadSingleOperation({
		parameters: { resource: 'batch', operation: 'retryFailed', batchId: byId(batchId), options },
		continueOnFail,
	});
	return await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl, apiKey: '' } } });
}

/** Runs Impala → Batch → Get Results on `batchId` with `options`. */
export async function runGetResults(baseUrl: string, batchId: string, options: IDataObject = {}): Promise<IRun> {
	const workflow = loadSingleOperation({ parameters: { resource: 'batch', operation: 'getResults', batchId: byId(batchId), options } });
	return await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl, apiKey: '' } } });
}

/** The single item of the Impala node. */
export function onlyItem(run: IRun): INodeExecutionData {
	const items = nodeOutput(run, 'Impala');
	if (items.length !== 1) throw new Error(`expected one item, got ${items.length}: ${JSON.stringify(items.map((i) => i.json))}`);
	return items[0];
}
