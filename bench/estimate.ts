/**
 * The token estimate's cost in the Batch Builder (bschema, issue 11): 50,000 chat rows of ~250
 * characters built with buildLines, without and with the estimator hooked in (BuildSettings.onBody),
 * for a model without a known tokenizer (the character rule) and for gpt-4o (o200k_base, sampled).
 *   node --import tsx bench/estimate.ts bench-model | gpt-4o [cold]
 */
import { buildLines, TokenEstimator, type RowSource } from '../src/jsonl';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
const ROWS = 50_000;
function question(i: number): string {
	return `Question ${i}: summarise the customer's note in one sentence. Note: "Ordered item #${i * 7} on day ${i % 365}; it arrived damaged (Karton eingedrückt, ½ missing). I would like a replacement or a refund — whichever is faster." Tone: polite.`;
}
function source(model: string): RowSource {
	return { noun: 'Item', async *rows() { for (let i = 0; i < ROWS; i++) yield { number: i + 1, itemIndex: i, read: () => ({ customId: `q${i}`, input: { endpoint: '/v1/chat/completions', model, systemMessage: 'Be brief.', userMessage: question(i), maxTokens: 64 } }) }; } };
}
async function once(model: string, withEstimate: boolean) {
	const t0 = performance.now();
	const est = new TokenEstimator('/v1/chat/completions');
	let inHook = 0;
	const onBody: typeof est.onBody = (body, row) => {
		const s = performance.now();
		est.onBody(body, row);
		inHook += performance.now() - s;
	};
	const build = await buildLines(source(model), { endpoint: '/v1/chat/completions', generateCustomIds: false, split: false, ...(withEstimate && { onBody }) });
	const t1 = performance.now();
	let e;
	if (withEstimate) e = await est.estimate(build.parts);
	const t2 = performance.now();
	await build.spool.dispose();
	return { build: t1 - t0, estimate: t2 - t1, e, inHook };
}
const model = process.argv[2] ?? 'bench-model';
const mode = process.argv[3] ?? 'both';
(async () => {
	if (mode === 'cold') { const r = await once(model, true); console.log(model, 'cold: build+onBody', r.build.toFixed(0), 'estimate()', r.estimate.toFixed(0), r.e?.total, r.e?.method); return; }
	await once(model, false); await once(model, true); // warm up (and load the tokenizer)
	const base: number[] = [], withE: number[] = [], fin: number[] = [], hook: number[] = [];
	let last;
	for (let k = 0; k < 7; k++) {
		base.push((await once(model, false)).build);
		const r = await once(model, true); withE.push(r.build + r.estimate); fin.push(r.estimate); hook.push(r.inHook); last = r.e;
	}
	const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
	const min = (a: number[]) => Math.min(...a);
	console.log(model, 'build (min of 7)', min(base).toFixed(0), 'ms; with estimate', min(withE).toFixed(0), 'ms, ratio', (min(withE) / min(base)).toFixed(3), '| inside onBody', med(hook).toFixed(0), 'ms + estimate()', med(fin).toFixed(0), 'ms (medians) =', ((med(hook) + med(fin)) / med(base) * 100).toFixed(1), '% of the build |', last?.total, last?.method);
	if (model === 'gpt-4o') {
		/* eslint-disable-next-line */
		const enc = new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE);
		let exact = 0; for (let i = 0; i < ROWS; i++) exact += enc.encode('Be brief.', [], []).length + enc.encode(question(i), [], []).length + 9;
		const t = performance.now(); let n = 0; for (let i = 0; i < ROWS; i++) n += enc.encode(question(i), [], []).length; const full = performance.now() - t;
		console.log('exact recount', exact, 'estimate off by', ((last!.total - exact) / exact * 100).toFixed(3), '%; tokenizing every row would cost', full.toFixed(0), 'ms');
	}
})();
