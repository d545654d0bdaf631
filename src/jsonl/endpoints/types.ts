/** Optional settings of text generation, shared by chat completions and responses. */
export interface GenerationOptions {
	temperature?: number;
	maxTokens?: number;
	responseFormat?: ResponseFormat;
}

export type ResponseFormat =
	| { type: 'text' }
	| { type: 'json_object' }
	| { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

export interface ChatInput extends GenerationOptions {
	endpoint: '/v1/chat/completions';
	model: string;
	systemMessage?: string;
	/** Left out (undefined) only when the node has no user message configured and extra messages are given. */
	userMessage?: string;
	/** Messages placed between the system message and the user message (few-shot examples, history). */
	extraMessages?: unknown[];
}

export interface ResponsesInput extends GenerationOptions {
	endpoint: '/v1/responses';
	model: string;
	instructions?: string;
	input: string;
}

export interface EmbeddingsInput {
	endpoint: '/v1/embeddings';
	model: string;
	/** One text, or one input per column. */
	input: string | string[];
	dimensions?: number;
	encodingFormat?: 'float' | 'base64';
}

export interface CompletionsInput {
	endpoint: '/v1/completions';
	model: string;
	prompt: string;
	maxTokens?: number;
	temperature?: number;
}

/** What one row asks for, before it becomes a request body. */
export type EndpointInput = ChatInput | ResponsesInput | EmbeddingsInput | CompletionsInput;

export type IssuePath = ReadonlyArray<string | number>;

/** A request body, and which node field each part of it came from (for error messages). */
export interface BuiltBody {
	body: Record<string, unknown>;
	fieldAt(path: IssuePath): string | undefined;
}
