// Stands in for `@aws-sdk/credential-provider-node` in the handler bundle (see build-handler.mjs).
//
// Lambda hands a function its role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN; SnapStart and container-style runtimes use the container credentials endpoint
// (AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, with an authorization token) instead. The SDK's
// default chain would also carry SSO, ini files, credential processes, web identity and IMDS, none of
// which a Lambda function can use, at the cost of a third of the bundle and its load time.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { fromHttp } from '@aws-sdk/credential-provider-http';
import { chain, CredentialsProviderError, memoize } from '@smithy/core/config';

// The same refresh rules as the SDK's default chain: temporary credentials are renewed 5 minutes before they expire.
export const credentialsWillNeedRefresh = (credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

export const defaultProvider = (init = {}) =>
  memoize(
    chain(
      fromEnv(init),
      // fromHttp checks its variables when it is created: create it only when the environment had no keys.
      async () => fromHttp(init)(),
      async () => {
        throw new CredentialsProviderError(
          'No credentials: neither AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY nor a container credentials endpoint ' +
            '(AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) is set; the bundled handler reads only ' +
            'these, as Lambda provides them',
          { tryNextLink: false, logger: init.logger },
        );
      },
    ),
    credentialsTreatedAsExpired,
    credentialsWillNeedRefresh,
  );
