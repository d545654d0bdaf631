import { cancelBatch, createBatch, getBatch, listBatches } from './routes/batches';
import type { RouteHandler } from './routes/context';
import { deleteFile, fileContent, getFile, listFiles, uploadFile } from './routes/files';
import { health, ready } from './routes/health';

interface Route {
	method: string;
	pattern: RegExp;
	handler: RouteHandler;
}

const ID = '([^/]+)';
const ROUTES: Route[] = [
	{ method: 'GET', pattern: /^\/health$/, handler: health },
	{ method: 'GET', pattern: /^\/ready$/, handler: ready },
	{ method: 'POST', pattern: /^\/v1\/files$/, handler: uploadFile },
	{ method: 'GET', pattern: /^\/v1\/files$/, handler: listFiles },
	{ method: 'GET', pattern: new RegExp(`^/v1/files/${ID}$`), handler: getFile },
	{ method: 'DELETE', pattern: new RegExp(`^/v1/files/${ID}$`), handler: deleteFile },
	{ method: 'GET', pattern: new RegExp(`^/v1/files/${ID}/content$`), handler: fileContent },
	{ method: 'POST', pattern: /^\/v1\/batches$/, handler: createBatch },
	{ method: 'GET', pattern: /^\/v1\/batches$/, handler: listBatches },
	{ method: 'GET', pattern: new RegExp(`^/v1/batches/${ID}$`), handler: getBatch },
	{ method: 'POST', pattern: new RegExp(`^/v1/batches/${ID}/cancel$`), handler: cancelBatch },
];

export type RouteMatch =
	| { kind: 'found'; handler: RouteHandler; params: string[] }
	| { kind: 'methodNotAllowed' }
	| { kind: 'notFound' };

export function matchRoute(method: string, path: string): RouteMatch {
	let pathKnown = false;
	for (const route of ROUTES) {
		const match = route.pattern.exec(path);
		if (!match) continue;
		pathKnown = true;
		if (route.method === method) {
			return { kind: 'found', handler: route.handler, params: match.slice(1).map((p) => decodeURIComponent(p)) };
		}
	}
	return pathKnown ? { kind: 'methodNotAllowed' } : { kind: 'notFound' };
}
