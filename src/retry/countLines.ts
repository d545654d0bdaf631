import type { ImpalaClient } from '../client';
import { SliceClock } from '../eventLoop';
import { forEachLine } from '../results';

/** The number of request lines (non-blank lines) of a file on Impala, streamed. */
export async function countFileLines(client: ImpalaClient, fileId: string, signal?: AbortSignal): Promise<number> {
	return await client.files.readVerified(
		fileId,
		async (stream) => {
			let lines = 0;
			await forEachLine(stream, new SliceClock(), () => {
				lines++;
			});
			return lines;
		},
		{ signal },
	);
}
