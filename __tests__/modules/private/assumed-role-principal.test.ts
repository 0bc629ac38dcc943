import { assumedRolePrincipal } from '../../../modules/private/assumed-role-principal';

it('builds the role session ARN Lambda uses: the session is named after the function', () => {
  expect(assumedRolePrincipal({ partition: 'aws-cn', region: 'cn-north-1', accountId: '210987654321' }, 'etl-role', 'etl-tasker')).toBe(
    'arn:aws-cn:sts::210987654321:assumed-role/etl-role/etl-tasker',
  );
});

it('keeps Terraform references as they are (partition, account and role name are known only at apply time)', () => {
  expect(assumedRolePrincipal({ partition: '${data.aws_partition.p.partition}', region: 'r', accountId: '${local.a}' }, '${aws_iam_role.r.name}', 'f')).toBe(
    'arn:${data.aws_partition.p.partition}:sts::${local.a}:assumed-role/${aws_iam_role.r.name}/f',
  );
});
