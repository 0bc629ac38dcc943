import { statementPrincipal } from '../../../../functions/tasker/platform/principal';

const ARN = 'arn:aws-cn:lambda:cn-north-1:210987654321:function:etl-tasker';

it('builds the role session the Data API reports: partition, account and function (the session name) from the invoked ARN', () => {
  expect(statementPrincipal({ TASKER_ROLE_NAME: 'etl-tasker-role' }, ARN)).toBe(
    'arn:aws-cn:sts::210987654321:assumed-role/etl-tasker-role/etl-tasker',
  );
  // An alias or version qualifier is not part of the session name.
  expect(statementPrincipal({ TASKER_ROLE_NAME: 'r' }, `${ARN}:live`)).toBe('arn:aws-cn:sts::210987654321:assumed-role/r/etl-tasker');
});

it('TASKER_PRINCIPAL, when set (the local kit), wins', () => {
  expect(statementPrincipal({ TASKER_PRINCIPAL: 'arn:aws:sts::1:assumed-role/x/y', TASKER_ROLE_NAME: 'r' }, ARN)).toBe(
    'arn:aws:sts::1:assumed-role/x/y',
  );
});

it('leaves the principal out when it cannot be known (no role name, no or odd ARN)', () => {
  expect(statementPrincipal({}, ARN)).toBeUndefined();
  expect(statementPrincipal({ TASKER_ROLE_NAME: 'r' }, undefined)).toBeUndefined();
  expect(statementPrincipal({ TASKER_ROLE_NAME: 'r' }, 'arn:aws:states:us-east-1:1:stateMachine:x')).toBeUndefined();
});
