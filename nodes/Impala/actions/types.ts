import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';

/** One operation for one input item; returns its output items (paired with `itemIndex`). */
export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	client: ImpalaClient,
) => Promise<INodeExecutionData[]>;
