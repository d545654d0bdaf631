import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

// No declarative `test`: n8n uses a node's `testedBy` (nodes/shared/credentialTest.ts, built on the
// client) only when the credential has no test of its own, and only the client's test can explain a
// refused connection, a missing https://, a timeout or a non-Impala server in the nodes' own words.

export class ImpalaApi implements ICredentialType {
	name = 'impalaApi';

	displayName = 'Impala API';

	icon: Icon = { light: 'file:impala.svg', dark: 'file:impala.dark.svg' };

	documentationUrl = 'https://docs.getimpala.ai';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Your Impala API key. Leave empty only for a private deployment that runs without keys.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://your-company.getimpala.ai',
			description:
				'The address Impala gave you, exactly as given. It may end in /v1 or not; both work.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: 600,
			typeOptions: { minValue: 1 },
			description:
				'How long one call to Impala may take, answer included, before it is given up. Impala can be slow under load; 600 seconds is what its documentation advises.',
		},
	];

	// Only when a key is set: keyless private deployments must receive no Authorization header.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = typeof credentials.apiKey === 'string' ? credentials.apiKey.trim() : '';
		if (!apiKey) return requestOptions;
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Authorization: `Bearer ${apiKey}` },
		};
	}
}
