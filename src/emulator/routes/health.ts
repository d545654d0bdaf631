import { sendJson } from '../http';
import type { RouteHandler } from './context';

export const health: RouteHandler = async ({ res }) => sendJson(res, 200, { status: 'ok' });
export const ready: RouteHandler = async ({ res }) => sendJson(res, 200, { status: 'ready' });
