/**
 * Lambda settings whose value may be a Terraform reference: with a reference, Terraform chooses at plan
 * time (a conditional expression); with a plain value, the choice is made here.
 */
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { Fn, Op, Token } from 'cdktf';
import type { TaskerVpcConfig } from '../tasker-props';
import { addBlockWhen } from './optional-block';

/** Whether the functions run in a VPC; with referenced subnet ids, Terraform decides (an empty list means none). */
export function inVpc(vpcConfig: TaskerVpcConfig | undefined): boolean {
  if (vpcConfig === undefined) return false;
  if (Token.isUnresolved(vpcConfig.subnetIds)) return Token.asAny(Op.gte(Fn.lengthOf(vpcConfig.subnetIds), 1)) as unknown as boolean;
  return true;
}

/**
 * The functions' VPC settings. Referenced subnet ids (a module input, empty for no VPC) make it a dynamic
 * block present only with subnets: an empty `vpc_config` is no setting, so it is not written.
 */
export function placeInVpc(fn: LambdaFunction, vpcConfig: TaskerVpcConfig | undefined): void {
  if (vpcConfig === undefined) return;
  const { subnetIds, securityGroupIds } = vpcConfig;
  if (!Token.isUnresolved(subnetIds)) {
    fn.putVpcConfig({ subnetIds, securityGroupIds });
    return;
  }
  addBlockWhen(fn, 'vpc_config', Op.gte(Fn.lengthOf(subnetIds), 1), { subnet_ids: subnetIds, security_group_ids: securityGroupIds });
}

/** Active tracing when on; a reference chooses between Active and PassThrough (Lambda's default) at plan time. */
export function tracingFor(tracing: boolean): { mode: string } | undefined {
  if (Token.isUnresolved(tracing)) return { mode: Fn.conditional(tracing, 'Active', 'PassThrough') };
  return tracing ? { mode: 'Active' } : undefined;
}

/** The log format; with JSON, Lambda's application log level (from logLevel) drops lower lines before they are stored. */
export function logFormatFor(logFormat: string, logLevel: string): { logFormat: string; applicationLogLevel?: string } {
  if (Token.isUnresolved(logFormat)) {
    return { logFormat, applicationLogLevel: Fn.conditional(Op.eq(logFormat, 'JSON'), logLevel, Token.nullValue()) };
  }
  return logFormat === 'JSON' ? { logFormat, applicationLogLevel: logLevel } : { logFormat };
}
