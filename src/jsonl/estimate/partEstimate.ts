import { estimatedCost } from './cost';
import type { TokenEstimate } from './tokenEstimator';

/** The estimate as the build summary shows it (`summary.estimate`), for one part and for all parts. */
export interface PartEstimate {
	/** Estimated input tokens of this part (this batch). */
	input_tokens: number;
	/** This part's input tokens times the price, in USD; only with a price. */
	estimated_cost_usd?: number;
	/** All parts together (the same as input_tokens when there is one part). */
	total_input_tokens: number;
	total_estimated_cost_usd?: number;
	price_per_million_input_tokens?: number;
	/** How the tokens were counted. */
	method: string;
}

export function partEstimate(estimate: TokenEstimate, index: number, pricePerMillion?: number): PartEstimate {
	const tokens = estimate.parts[index];
	const priced = pricePerMillion !== undefined;
	return {
		input_tokens: tokens,
		...(priced && { estimated_cost_usd: estimatedCost(tokens, pricePerMillion) }),
		total_input_tokens: estimate.total,
		...(priced && { total_estimated_cost_usd: estimatedCost(estimate.total, pricePerMillion) }),
		...(priced && { price_per_million_input_tokens: pricePerMillion }),
		method: estimate.method,
	};
}
