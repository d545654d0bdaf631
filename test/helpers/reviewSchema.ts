/** The product-review schema of the example and the tests: the emulator answers JSON built from it (an enum choice, an integer in range, a short text). */
export const REVIEW_SCHEMA = {
	type: 'object',
	properties: {
		sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
		score: { type: 'integer', minimum: 1, maximum: 5 },
		summary: { type: 'string' },
	},
	required: ['sentiment', 'score', 'summary'],
	additionalProperties: false,
};
