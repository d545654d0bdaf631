import type { INodeProperties } from 'n8n-workflow';
import { batchProperties } from './batch';
import { customIdProperties, endpointProperties } from './endpoint';
import { modeAndSourceProperties } from './source';

export const builderProperties: INodeProperties[] = [
	...modeAndSourceProperties,
	...endpointProperties,
	...customIdProperties,
	...batchProperties,
];

export { MODES, SOURCES, type Mode, type Source } from './source';
