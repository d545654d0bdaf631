import { randomUUID } from 'node:crypto';
import type { Metadata } from '../schemas';

/** Metadata keys the builder adds to every batch of a split, so the parts can be found together. */
export const GROUP_ID_KEY = 'batch_group_id';
export const PART_KEY = 'batch_part';
export const SPLIT_METADATA_KEYS = [GROUP_ID_KEY, PART_KEY] as const;

export function newGroupId(): string {
	return `grp-${randomUUID()}`;
}

/** The user's metadata plus the group id and `i/n` of this part. */
export function partMetadata(user: Metadata, groupId: string, part: number, parts: number): Metadata {
	return { ...user, [GROUP_ID_KEY]: groupId, [PART_KEY]: `${part}/${parts}` };
}
