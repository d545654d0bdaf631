import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient, UploadSource } from '../../../../src/client';
import { EXPIRY_HOURS } from '../../../../src/jsonl';
import { UPLOAD_PURPOSES, type UploadPurpose } from '../../../../src/schemas';
import { checkedExpiryFromHours, expiryHoursOption } from '../../../shared/expiry';
import { optionsCollection } from '../../../shared/descriptions';
import { assertBatchInputFile } from '../../helpers/batchInputCheck';
import { toItem } from '../../helpers/items';

const PURPOSE_NAMES: Record<UploadPurpose, string> = {
	batch: 'Batch',
	assistants: 'Assistants',
	'fine-tune': 'Fine-Tune',
	vision: 'Vision',
	user_data: 'User Data',
	evals: 'Evals',
};

const properties: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the input binary field holding the file to upload',
		description: 'For a batch, a JSONL file with one request per line (at most 50,000 lines and 200 MB)',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'options',
		options: UPLOAD_PURPOSES.map((value) => ({ name: PURPOSE_NAMES[value], value })),
		default: 'batch',
		required: true,
		description: 'What the file is for; batch input files need "Batch"',
	},
	optionsCollection([
		expiryHoursOption({
			displayName: 'Expires After (Hours)',
			name: 'expiresAfterHours',
			description: `Delete the file this many hours after upload (${EXPIRY_HOURS.min} to ${EXPIRY_HOURS.max}). 0 keeps Impala's default (30 days for batch files).`,
		}),
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'e.g. batch.jsonl',
			description:
				'The name to store the file under; by default the binary file name. Impala stores it with a short tag before the extension (e.g. batch.3f9a1c2e.jsonl), so an upload whose answer is lost can be found instead of sent twice.',
		},
	]),
];

const displayOptions = { show: { resource: ['file'], operation: ['upload'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const binaryPropertyName = this.getNodeParameter('binaryPropertyName', i) as string;
	const purpose = this.getNodeParameter('purpose', i) as UploadPurpose;
	const options = this.getNodeParameter('options', i, {}) as { expiresAfterHours?: number; fileName?: string };
	const expiresAfter = checkedExpiryFromHours(this.getNode(), options.expiresAfterHours, 'Expires After (Hours)', i);
	const binary = this.helpers.assertBinaryData(i, binaryPropertyName);
	if (purpose === 'batch') await assertBatchInputFile(this, i, binary, binaryPropertyName);
	// Binary data kept outside the item (filesystem/S3 mode) is streamed, opened afresh for each attempt;
	// inline base64 is already in memory.
	const binaryId = binary.id;
	const file: () => UploadSource = binaryId
		? () => openLater(async () => await this.helpers.getBinaryStream(binaryId))
		: ((buffer) => () => buffer)(await this.helpers.getBinaryDataBuffer(i, binaryPropertyName));
	const { file: uploaded, recovered } = await client.files.uploadOnce({
		file,
		filename: options.fileName?.trim() || binary.fileName || 'batch.jsonl',
		purpose,
		expiresAfter,
		signal: this.getExecutionCancelSignal(),
	});
	return [toItem(recovered ? { ...uploaded, ...RECOVERED_NOTE } : uploaded, i)];
}

/** Said in the output when Impala's answer to the upload was lost and the file was found by its name and size. */
const RECOVERED_NOTE = {
	recovered: true,
	note: "Impala's answer to the upload was lost on the way; this file was found on Impala by its name and size, so it was uploaded once.",
};

/** A byte stream that is opened only when the upload starts reading it. */
async function* openLater(open: () => Promise<AsyncIterable<Uint8Array>>): AsyncGenerator<Uint8Array> {
	yield* await open();
}
