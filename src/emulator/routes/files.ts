import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ExpiresAfterSchema, FILE_PURPOSES, LIMITS, UPLOAD_PURPOSES, UploadPurposeSchema } from '../../schemas';
import { apiError, notFound, sendJson, validationError, type DetailItem } from '../http';
import { boundaryOf, MultipartError, parseMultipart } from '../multipart';
import { detailFromZod, enumQuery, intQuery, type RouteHandler } from './context';

function missing(field: string): DetailItem {
	return { loc: ['body', field], msg: 'Field required', type: 'missing', input: null };
}

/** `expires_after[anchor]` / `expires_after[seconds]` (OpenAI style), or `expires_after` as JSON. */
function expiresAfterFields(fields: Record<string, string>): { present: boolean; value: unknown } {
	const anchor = fields['expires_after[anchor]'];
	const seconds = fields['expires_after[seconds]'];
	if (anchor !== undefined || seconds !== undefined) {
		const number = seconds === undefined || seconds.trim() === '' ? undefined : Number(seconds);
		return { present: true, value: { anchor, seconds: number } };
	}
	const json = fields.expires_after;
	if (json === undefined) return { present: false, value: undefined };
	try {
		return { present: true, value: JSON.parse(json) };
	} catch {
		return { present: true, value: json };
	}
}

export const uploadFile: RouteHandler = async ({ req, res, state }) => {
	const boundary = boundaryOf(req.headers['content-type']);
	if (!boundary) {
		req.resume();
		throw validationError([
			{ loc: ['body'], msg: 'Expected a multipart/form-data body with a file and a purpose', type: 'model_attributes_type' },
		]);
	}
	const tempPath = state.files.tempPath('upload');
	try {
		let parsed;
		try {
			parsed = await parseMultipart(req, boundary, {
				filePath: tempPath,
				fileField: 'file',
				maxFileBytes: state.options.maxUploadBytes,
			});
		} catch (error) {
			if (!(error instanceof MultipartError)) throw error;
			if (error.tooLarge) {
				throw apiError(
					413,
					{
						message: `The file is larger than the ${state.options.maxUploadBytes.toLocaleString('en-US')} bytes this server accepts for an upload. Upload a smaller file.`,
						code: 'file_too_large',
					},
					{ Connection: 'close' },
				);
			}
			throw validationError([{ loc: ['body'], msg: error.message, type: 'value_error' }]);
		}
		const problems: DetailItem[] = [];
		if (!parsed.file) problems.push(missing('file'));
		const purposeRaw = parsed.fields.purpose;
		const purpose = UploadPurposeSchema.safeParse(purposeRaw);
		if (purposeRaw === undefined) problems.push(missing('purpose'));
		else if (!purpose.success) {
			problems.push({
				loc: ['body', 'purpose'],
				msg: `Input should be ${UPLOAD_PURPOSES.map((p) => `'${p}'`).join(', ')}`,
				type: 'enum',
				input: purposeRaw,
			});
		}
		const expires = expiresAfterFields(parsed.fields);
		let expiresAfterSeconds: number | null = purpose.success && purpose.data === 'batch' ? LIMITS.defaultFileExpirySeconds : null;
		if (expires.present) {
			const checked = ExpiresAfterSchema.safeParse(expires.value);
			if (checked.success) expiresAfterSeconds = checked.data.seconds;
			else problems.push(...detailFromZod(checked.error.issues, ['body', 'expires_after'], expires.value));
		}
		if (problems.length > 0 || !parsed.file || !purpose.success) throw validationError(problems);
		const file = await state.files.add({
			fromPath: tempPath,
			bytes: parsed.file.bytes,
			filename: parsed.file.filename,
			purpose: purpose.data,
			expiresAfterSeconds,
		});
		sendJson(res, 200, file);
	} finally {
		await rm(tempPath, { force: true });
	}
};

export const listFiles: RouteHandler = async ({ res, query, state }) => {
	const limit = intQuery(query, 'limit', LIMITS.fileListLimit.min, LIMITS.fileListLimit.max, LIMITS.fileListLimit.default);
	const order = enumQuery(query, 'order', ['asc', 'desc'] as const) ?? 'desc';
	const purpose = enumQuery(query, 'purpose', FILE_PURPOSES);
	const after = query.get('after') || undefined;
	sendJson(res, 200, state.files.list({ purpose, order, after, limit }));
};

export const getFile: RouteHandler = async ({ res, params, state }) => {
	const file = state.files.get(params[0]);
	if (!file) throw notFound('File', params[0]);
	sendJson(res, 200, file.object);
};

export const fileContent: RouteHandler = async ({ res, params, state }) => {
	const file = state.files.get(params[0]);
	if (!file) throw notFound('File', params[0]);
	res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.object.bytes) });
	await pipeline(createReadStream(file.path), res);
};

export const deleteFile: RouteHandler = async ({ res, params, state }) => {
	if (!(await state.files.delete(params[0]))) throw notFound('File', params[0]);
	sendJson(res, 200, { id: params[0], object: 'file', deleted: true });
};
