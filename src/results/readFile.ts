import type { Readable } from 'node:stream';
import type { ImpalaClient } from '../client';

type ReadVerified = <T>(id: string, consume: (stream: Readable) => Promise<T>, options: { expectedBytes?: number; signal?: AbortSignal }) => Promise<T>;

/**
 * Runs `consume` on a file's bytes, checked against the Content-Length and, with `checkSize`, the file's
 * size (its `bytes`, one more request):
 * a transfer cut short is read again on a fresh download, then fails with "the transfer was cut"
 * (`client.files.readVerified`). `consume` must build its state inside: it may run more than once.
 */
export async function readFileVerified<T>(
	client: ImpalaClient,
	fileId: string,
	consume: (stream: Readable) => Promise<T>,
	options: { signal?: AbortSignal; checkSize?: boolean } = {},
): Promise<T> {
	const { signal } = options;
	const expectedBytes = options.checkSize ? (await client.files.get(fileId, { signal })).bytes : undefined;
	const files = client.files as unknown as { readVerified?: ReadVerified };
	// TODO(client merge): call client.files.readVerified directly.
	const readVerified = files.readVerified?.bind(client.files) as ReadVerified | undefined;
	if (readVerified) return readVerified(fileId, consume, { expectedBytes, signal });
	return consume(await client.files.content(fileId, { signal }));
}
