import type { AnswerFaultInput } from '../../src/emulator';

/**
 * What the demo's emulator does to the first batch of examples/product-reviews.workflow.json (a retry
 * batch is answered normally): two requests fail, two answers break the schema, one is not JSON.
 */
export const DEMO_FAULTS: AnswerFaultInput[] = [
	{ answer: 'fail', customId: /^rev-(04|15)$/ },
	{ answer: 'breakSchema', customId: /^rev-(07|12)$/ },
	{ answer: 'notJson', customId: 'rev-18' },
];
