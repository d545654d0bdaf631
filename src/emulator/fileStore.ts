import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileObject } from '../schemas';
import { newId, nowSeconds } from './ids';
import { paginate } from './pagination';

export interface StoredFile {
	object: FileObject;
	path: string;
}

export interface AddFileInput {
	/** A finished file on disk; it is moved into the store. */
	fromPath: string;
	/** Its size, known to whoever wrote it. */
	bytes: number;
	filename: string;
	purpose: string;
	/** Seconds after creation; null = never expires. */
	expiresAfterSeconds: number | null;
}

export interface FileListQuery {
	purpose?: string;
	order: 'asc' | 'desc';
	after?: string;
	limit: number;
}

/** Files on disk under `<dataDir>/files`, metadata in memory. Content is only ever streamed. */
export class FileStore {
	private readonly files = new Map<string, StoredFile>();
	private tempCounter = 0;

	constructor(private readonly dir: string) {}

	async init(): Promise<void> {
		await mkdir(join(this.dir, 'tmp'), { recursive: true });
	}

	tempPath(label: string): string {
		this.tempCounter++;
		return join(this.dir, 'tmp', `${label}-${process.pid}-${this.tempCounter}-${Date.now()}`);
	}

	async add(input: AddFileInput): Promise<FileObject> {
		const id = newId('file');
		const path = join(this.dir, id);
		await rename(input.fromPath, path);
		const createdAt = nowSeconds();
		const object: FileObject = {
			id,
			object: 'file',
			bytes: input.bytes,
			created_at: createdAt,
			expires_at: input.expiresAfterSeconds === null ? null : createdAt + input.expiresAfterSeconds,
			filename: input.filename,
			purpose: input.purpose,
		};
		this.files.set(id, { object, path });
		return { ...object };
	}

	get(id: string): StoredFile | undefined {
		return this.files.get(id);
	}

	list(query: FileListQuery) {
		let all = [...this.files.values()].map((f) => f.object);
		if (query.purpose !== undefined) all = all.filter((f) => f.purpose === query.purpose);
		if (query.order === 'desc') all.reverse();
		return paginate(all.map((f) => ({ ...f })), query.after, query.limit);
	}

	async delete(id: string): Promise<boolean> {
		const file = this.files.get(id);
		if (!file) return false;
		this.files.delete(id);
		await rm(file.path, { force: true });
		return true;
	}
}
