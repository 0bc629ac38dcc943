import { arnOf, AWS_USERID_VARIABLE, policyDocument } from '../../../modules/private/policy-document';

describe('policy-document', () => {
  const env = { partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '123456789012' };

  test('arnOf builds regional and global ARNs', () => {
    expect(arnOf(env, 'sqs', 'q')).toBe('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q');
    expect(arnOf(env, 'iam', 'root', { global: true })).toBe('arn:aws-us-gov:iam::123456789012:root');
  });

  test('policyDocument carries the current policy language version', () => {
    expect(policyDocument([])).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  test('${aws:userid} is escaped so Terraform keeps it literal', () => {
    expect(AWS_USERID_VARIABLE).toBe('$${aws:userid}');
  });
});
