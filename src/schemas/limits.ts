/** Impala's documented limits (../shared/impala-api.md). One place for every number. */
export const LIMITS = {
	/** Requests (lines) in one batch input file. */
	maxRequestsPerBatch: 50_000,
	/** Size of one batch input file. 200 MB counted in decimal megabytes, the stricter reading. */
	maxBatchFileBytes: 200_000_000,
	/** Embedding inputs across all lines of one embeddings batch (an input array of 10 counts 10). */
	maxEmbeddingInputsPerBatch: 50_000,
	/** `custom_id` length, in characters. */
	maxCustomIdLength: 64,
	/**
	 * `job_id` length, in characters. Not documented: a package bound. Impala's IDs look like
	 * `job-xxxxxxxx` (12 characters); 64, the bound of every other ID-like field of this API (custom_id,
	 * metadata keys), leaves room for any real ID while catching pasted sentences and page addresses.
	 */
	maxJobIdLength: 64,
	/** Request-body ranges of the OpenAI-compatible API the batch lines call. */
	temperature: { min: 0, max: 2 },
	topP: { min: 0, max: 1 },
	/** Name of a structured-output JSON schema: `^[a-zA-Z0-9_-]{1,64}$`. */
	schemaName: { pattern: /^[a-zA-Z0-9_-]+$/, maxLength: 64 },
	metadata: { maxPairs: 16, maxKeyLength: 64, maxValueLength: 512 },
	/** `expires_after.seconds` and `output_expires_after.seconds`. */
	expirySeconds: { min: 3_600, max: 2_592_000 },
	/** Batch input files expire after 30 days unless the upload gives an expiry (the emulator uses it for output files too). */
	defaultFileExpirySeconds: 2_592_000,
	/** `limit` of GET /v1/files and GET /v1/batches, and the page size the API uses when none is sent. */
	fileListLimit: { min: 1, max: 10_000, default: 10_000 },
	batchListLimit: { min: 1, max: 100, default: 20 },
} as const;
