import type { Batch } from '../schemas';

/** Which batches the trigger watches. */
export type BatchScope =
	| { kind: 'all' }
	| { kind: 'jobId'; jobId: string }
	| { kind: 'metadata'; metadata: Record<string, string> }
	| { kind: 'batchIds'; ids: string[] };

export const MAX_SCOPE_BATCH_IDS = 100;

/** Thrown for a scope the user must fix; the node's error mapper turns it into a NodeOperationError. */
export class ScopeInputError extends Error {}

/** Batch IDs typed as a comma-, space- or newline-separated list, or given as an array by an expression. */
export function parseBatchIds(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,]+/);
	const ids = [...new Set(parts.map((part) => part.trim()).filter((part) => part !== ''))];
	if (ids.length === 0) throw new ScopeInputError('Enter at least one batch ID in "Batch IDs"');
	if (ids.length > MAX_SCOPE_BATCH_IDS) {
		throw new ScopeInputError(
			`"Batch IDs" holds ${ids.length} IDs; at most ${MAX_SCOPE_BATCH_IDS} can be watched this way. Use "Job ID" or "Metadata" to watch more.`,
		);
	}
	return ids;
}

export function matchesScope(batch: Pick<Batch, 'id' | 'job_id' | 'metadata'>, scope: BatchScope): boolean {
	switch (scope.kind) {
		case 'all':
			return true;
		case 'jobId':
			return batch.job_id === scope.jobId;
		case 'metadata':
			return Object.entries(scope.metadata).every(([key, value]) => batch.metadata?.[key] === value);
		case 'batchIds':
			return scope.ids.includes(batch.id);
	}
}

/** A stable text for the scope: the state of one scope is never reused for another. */
export function scopeFingerprint(scope: BatchScope): string {
	switch (scope.kind) {
		case 'all':
			return 'all';
		case 'jobId':
			return `jobId:${scope.jobId}`;
		case 'metadata':
			return `metadata:${JSON.stringify(Object.entries(scope.metadata).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
		case 'batchIds':
			return `batchIds:${JSON.stringify([...scope.ids].sort())}`;
	}
}
