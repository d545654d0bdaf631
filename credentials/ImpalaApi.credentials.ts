import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

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

	// The same base-URL rule as the client: a URL ending in /v1 gets /batches, any other gets /v1/batches.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.trim().replace(/\\/+$/, "") }}',
			url: '={{ /\\/v1$/.test($credentials.baseUrl.trim().replace(/\\/+$/, "")) ? "/batches" : "/v1/batches" }}',
			method: 'GET',
			qs: { limit: 1 },
		},
	};
}
