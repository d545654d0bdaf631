/**
 * A retry that cannot be made as asked: `message` says what is wrong, `description` what to do (plain
 * English). Nodes show the description under the message (see `toNodeError`).
 */
export class RetryError extends Error {
	readonly description: string;

	constructor(message: string, description: string) {
		super(message);
		this.name = 'RetryError';
		this.description = description;
	}
}
