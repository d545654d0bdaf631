import type { INodeProperties } from 'n8n-workflow';
import * as deleteFile from './deleteFile.operation';
import * as download from './download.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';

export { deleteFile, download, get, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Delete',
				value: 'deleteFile',
				description: 'Delete a file',
				action: 'Delete a file',
			},
			{
				name: 'Download',
				value: 'download',
				description: "Download a file's content into a binary field",
				action: 'Download a file',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get a file's details",
				action: 'Get a file',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List files',
				action: 'Get many files',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Upload a file from a binary field, e.g. a JSONL batch input file',
				action: 'Upload a file',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...get.description,
	...getMany.description,
	...download.description,
	...deleteFile.description,
];
