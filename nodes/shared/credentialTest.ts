import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { clientOptionsFromCredential, toClientLogger } from './client';

/** The name the nodes' `testedBy` and `methods.credentialTest` use. */
export const CREDENTIAL_TEST = 'impalaApiTest';

/** The Test button should answer quickly: a dead host is reported after this long at most. */
export const CREDENTIAL_TEST_TIMEOUT_MS = 15_000;

/**
 * The credential's Test button: `GET /v1/batches?limit=1` through ImpalaClient, so a refused connection,
 * a Base URL without http(s)://, a timeout, a wrong key and a server that is not Impala get the very
 * sentences the nodes give at run time (not bare codes such as ECONNREFUSED).
 */
export async function impalaApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	try {
		const options = clientOptionsFromCredential(credential.data ?? {}, toClientLogger(this.logger));
		const client = new ImpalaClient({
			...options,
			timeoutMs: Math.min(options.timeoutMs ?? CREDENTIAL_TEST_TIMEOUT_MS, CREDENTIAL_TEST_TIMEOUT_MS),
			maxRetries: 1,
		});
		await client.batches.listPage({ limit: 1 });
		return { status: 'OK', message: 'Connection successful: Impala answered with the list of batches' };
	} catch (error) {
		return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
	}
}
