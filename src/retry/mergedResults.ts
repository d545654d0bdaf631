import type { ImpalaClient } from '../client';
import { SliceClock } from '../eventLoop';
import { fetchBatchResults, resultsUnavailable, type FetchResultsOptions, type ResultRow } from '../results';
import type { Batch } from '../schemas';
import { findChain, type ChainRound } from './chain';
import { RetryError } from './errors';

export interface MergedResultsOptions extends Omit<FetchResultsOptions, 'onRow'> {
	/** Told what the table leaves out and why (a round still running, an input file gone): show it to the user. */
	onNote?: (note: string) => void;
	/** Told of each round whose answers are in the table, in round order (before its rows are read). */
	onRound?: (round: ChainRound) => void;
	/** Told of every row read from a round, before merging (e.g. to summarize each round from its own rows). */
	onRoundRow?: (round: ChainRound, row: ResultRow) => void;
}

/** A row of the merged table: the latest answer of one request and where it came from. */
export interface MergedRow extends ResultRow {
	/** 0 = the original batch, 1 = its first retry, ... */
	round: number;
	/** The batch the row's answer came from. */
	batch_id: string;
}

/**
 * One table for a batch and its retries: every custom_id of the original input once, in the original's
 * input order, with its latest answer and the `round` it came from. The chain is found by metadata from
 * the original (`batch` itself, or the batch its `retry_root` names). A later round's row replaces an
 * earlier one, except that a request a later round did not get to (missing) keeps its earlier failure.
 * Rounds not finished yet are left out with a note (`onNote`). `onlyFailures` applies to the merged rows.
 */
export async function* fetchMergedResults(client: ImpalaClient, batch: Batch, options: MergedResultsOptions = {}): AsyncGenerator<MergedRow> {
	const { signal, onNote, onRound, onRoundRow, onlyFailures, ...rowOptions } = options;
	const { rounds, ignored } = await findChain(client, batch, signal);
	for (const extra of ignored) {
		onNote?.(`Batch ${extra.id} is a second retry of ${String(extra.metadata?.retry_of)} and is left out: only the first retry of a batch counts`);
	}
	const [original, ...retries] = rounds;
	const unavailable = resultsUnavailable(original.batch);
	if (unavailable) throw new RetryError(unavailable.message, unavailable.hint);

	const clock = new SliceClock();
	const rows: MergedRow[] = [];
	const index = new Map<string, number>();
	const read = (round: { batch: Batch; round: number }) =>
		fetchBatchResults(client, round.batch, {
			...rowOptions,
			signal,
			onInputUnavailable: (fileId) =>
				onNote?.(`The input file ${fileId} of batch ${round.batch.id} is gone (deleted or expired): ${round.round === 0 ? 'rows come in output-file order and requests without an answer cannot be listed' : 'its answers are matched by custom_id'}`),
		});
	onRound?.(original);
	for await (const row of read(original)) {
		onRoundRow?.(original, row);
		index.set(row.custom_id, rows.length);
		rows.push({ ...row, round: 0, batch_id: original.batch.id });
		if (clock.due()) await clock.yield();
	}
	for (const retry of retries) {
		const notReady = resultsUnavailable(retry.batch);
		if (notReady) {
			onNote?.(`Round ${retry.round} (batch ${retry.batch.id}) is left out: ${lowerFirst(notReady.message)}. Its requests show their answer from the round before.`);
			continue;
		}
		onRound?.(retry);
		for await (const row of read(retry)) {
			onRoundRow?.(retry, row);
			const at = index.get(row.custom_id);
			const merged: MergedRow = { ...row, round: retry.round, batch_id: retry.batch.id };
			if (at === undefined) {
				index.set(row.custom_id, rows.length);
				rows.push({ ...merged, not_in_input: true });
			} else if (row.status !== 'missing' || rows[at].status === 'missing') {
				rows[at] = merged;
			}
			if (clock.due()) await clock.yield();
		}
	}
	for (const row of rows) {
		if (onlyFailures && row.status === 'succeeded') continue;
		yield row;
		if (clock.due()) await clock.yield();
	}
}

function lowerFirst(text: string): string {
	return /^(Batch|Impala)\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
