import { BuildProblemsError } from '../problems';

/** The Batch Builder's cost settings (Batch Options). */
export interface CostSettings {
	/** USD per million input tokens; undefined when not given. */
	pricePerMillion?: number;
	/** USD; above it nothing is uploaded. Undefined when not given. */
	maxCost?: number;
}

/** Estimated cost in USD of `tokens` input tokens, to a millionth of a dollar. */
export function estimatedCost(tokens: number, pricePerMillion: number): number {
	return Math.round((tokens * pricePerMillion) / 1e6 * 1e6) / 1e6;
}

/** The settings themselves, checked before any row is read: one error naming each field at fault. */
export function assertValidCostSettings(settings: CostSettings): void {
	const problems = [];
	const { pricePerMillion, maxCost } = settings;
	if (pricePerMillion !== undefined && !(Number.isFinite(pricePerMillion) && pricePerMillion >= 0)) {
		problems.push({ where: 'Batch Options', field: 'Price per Million Input Tokens', message: `is ${said(pricePerMillion)}.`, fix: 'Give the price in US dollars, 0 or more, e.g. 0.5.' });
	}
	if (maxCost !== undefined && !(Number.isFinite(maxCost) && maxCost >= 0)) {
		problems.push({ where: 'Batch Options', field: 'Maximum Estimated Cost', message: `is ${said(maxCost)}.`, fix: 'Give an amount in US dollars, 0 or more, e.g. 10.' });
	}
	if (maxCost !== undefined && pricePerMillion === undefined) {
		problems.push({
			where: 'Batch Options',
			field: 'Maximum Estimated Cost',
			message: 'needs a price to estimate the cost.',
			fix: 'Add "Price per Million Input Tokens" (the price of your model on Impala), or remove "Maximum Estimated Cost".',
		});
	}
	if (problems.length > 0) throw new BuildProblemsError(problems, problems.length, 'The cost options are not valid; nothing was uploaded');
}

/** Refuses an estimate above the Maximum Estimated Cost, saying the estimate, the price and the limit. */
export function assertWithinMaxCost(tokens: number, settings: CostSettings): void {
	const { pricePerMillion, maxCost } = settings;
	if (pricePerMillion === undefined || maxCost === undefined) return;
	const cost = estimatedCost(tokens, pricePerMillion);
	if (cost <= maxCost) return;
	throw new BuildProblemsError(
		[
			{
				where: 'Batch Options',
				field: 'Maximum Estimated Cost',
				message: `The input of this batch is about ${tokens.toLocaleString('en-US')} tokens, which at ${usd(pricePerMillion)} per million input tokens is an estimated ${usd(cost)}, above the maximum of ${usd(maxCost)}.`,
				fix: 'Send fewer or shorter rows (or split the input into several runs), or raise "Maximum Estimated Cost" if that cost is fine. To see the estimate without uploading anything, use Mode "Build JSONL Only". Answers (output tokens) are not in this estimate.',
			},
		],
		1,
		`Estimated cost ${usd(cost)} is above the Maximum Estimated Cost of ${usd(maxCost)}; nothing was uploaded`,
	);
}

/** "$0.0123", "$12.50", "$1,234". */
export function usd(amount: number): string {
	const digits = amount === 0 || amount >= 1 ? 2 : Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(amount)) + 1));
	return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;
}

function said(value: number): string {
	return Number.isNaN(value) ? 'not a number' : value < 0 ? `below zero (${value})` : String(value);
}
