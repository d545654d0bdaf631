import type { IExecuteFunctions } from 'n8n-workflow';
import { BuildProblemsError, responseSchema, type SchemaType } from '../../src/jsonl';
import type { BatchEndpoint } from '../../src/schemas';

/**
 * The Response Format's schema, checked before any row is read and anything uploaded: a JSON Schema
 * (or JSON Example) that is not valid, or that does not meet what Strict needs, stops the run with
 * one error naming the field. (A schema given by an expression that differs per item is also checked
 * for each item, as a row problem.)
 */
export function assertResponseFormat(ctx: IExecuteFunctions, itemIndex: number, endpoint: BatchEndpoint): void {
	if (endpoint !== '/v1/chat/completions' && endpoint !== '/v1/responses') return;
	if (ctx.getNodeParameter('responseFormat', itemIndex, 'text') !== 'json_schema') return;
	const schemaType: SchemaType = ctx.getNodeParameter('schemaType', itemIndex, 'manual') === 'fromJson' ? 'fromJson' : 'manual';
	const strict = ctx.getNodeParameter('schemaStrict', itemIndex, false) === true;
	const value = ctx.getNodeParameter(schemaType === 'fromJson' ? 'jsonSchemaExample' : 'jsonSchema', itemIndex, '');
	const result = responseSchema(value, schemaType, strict);
	if (result.ok) return;
	throw new BuildProblemsError(
		[{ where: 'Response Format', field: result.field, message: result.message, fix: result.fix }],
		1,
		`The "${result.field}" field ${result.message.startsWith('does not meet') ? 'does not meet what Strict needs' : 'does not give a valid schema'}; nothing was uploaded`,
	);
}
