import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

const REFUSED_KEY =
	'The API key was refused. Copy it again from the Impala console, or leave it empty for a keyless private deployment.';

const NOT_IMPALA =
	"This Base URL does not answer like Impala's Batch API. Use the address Impala gave you, for example https://your-company.getimpala.ai or https://your-company.getimpala.ai/v1.";

// Without rules n8n shows the bare status text ("Unauthorized", "Not Found"), and a web page answering 200
// passes as "Connection successful!". A 200 without the list's `data` (HTML, another API) is not Impala.
// n8n checks responseCode rules on an error and responseSuccessBody rules on a success; its type wants one
// kind per array, its runtime takes both.
const TEST_RULES = [
	...[401, 403].map((value): IAuthenticateRuleResponseCode => ({ type: 'responseCode', properties: { value, message: REFUSED_KEY } })),
	{ type: 'responseCode', properties: { value: 404, message: NOT_IMPALA } } satisfies IAuthenticateRuleResponseCode,
	{ type: 'responseSuccessBody', properties: { key: 'data', value: undefined, message: NOT_IMPALA } } satisfies IAuthenticateRuleResponseSuccessBody,
] as ICredentialTestRequest['rules'];

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
		rules: TEST_RULES,
	};
}
