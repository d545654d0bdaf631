import { buildChatBody } from './chat';
import { buildCompletionsBody } from './completions';
import { buildEmbeddingsBody } from './embeddings';
import { buildResponsesBody } from './responses';
import type { BuiltBody, EndpointInput } from './types';

export * from './types';

/** The request body of one row, for the endpoint the row's input names. */
export function buildBody(input: EndpointInput): BuiltBody {
	switch (input.endpoint) {
		case '/v1/chat/completions':
			return buildChatBody(input);
		case '/v1/responses':
			return buildResponsesBody(input);
		case '/v1/embeddings':
			return buildEmbeddingsBody(input);
		case '/v1/completions':
			return buildCompletionsBody(input);
	}
}
export * from './schemaSetting';
export * from './strictSchema';
