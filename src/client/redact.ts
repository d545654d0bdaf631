const REDACTED = '[redacted]';

/** A run of key-like characters around a mask of `*` (or `...` / `…`), as servers echo keys: `sk-CANAR****leak`. */
const MASKED = /[A-Za-z0-9_\-.]*(?:\*+|\.{3,}|…)[A-Za-z0-9_-]*/g;
const MIN_ECHO = 4;

/**
 * Removes the API key from any text that could reach a user or a log: the key itself, and masked echoes
 * that keep 4 or more of its first or last characters around `*` (OpenAI-style servers answer
 * "Incorrect API key provided: sk-CANAR****leak").
 */
export function redactSecret(text: string, secret?: string): string {
	if (!secret || secret.length < MIN_ECHO || !text) return text;
	let out = text.split(secret).join(REDACTED);
	out = out.replace(MASKED, (token) => (echoesKey(token, secret) ? REDACTED : token));
	return out;
}

function echoesKey(token: string, secret: string): boolean {
	const mask = /\*+|\.{3,}|…/.exec(token);
	if (!mask) return false;
	const before = token.slice(0, mask.index);
	const after = token.slice(mask.index + mask[0].length).replace(/[*.…]+$/, '');
	const last = /(?:\*+|\.{3,}|…)([^*.…]*)$/.exec(token);
	const tail = last ? last[1] : after;
	return (
		(before.length >= MIN_ECHO && secret.startsWith(before)) ||
		(tail.length >= MIN_ECHO && secret.endsWith(tail)) ||
		// "...sk-CANAR" style: the visible part ends a longer word; look at its last characters too.
		(before.length >= MIN_ECHO && secret.includes(before) && before.length >= 8)
	);
}
