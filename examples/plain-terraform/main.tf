# A plain Terraform root module that runs Redshift SQL from Step Functions with the tasker module:
# two taskers (a provisioned cluster and a Serverless workgroup) from one `module` block with
# `for_each`, and a state machine whose task waits for one of them (waitForTaskToken).
#
# ../../terraform-module is committed in the repository; in your own project point `source` at
# git::<repository URL>//terraform-module?ref=<tag> or node_modules/cdktf-stepfunctions-redshift/terraform-module.

terraform {
  required_version = ">= 1.9.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}

variable "region" {
  type        = string
  description = "AWS region to deploy to."
  default     = "eu-west-1"
}

provider "aws" {
  region = var.region
}

locals {
  # One tasker per Redshift target. Each needs its own name prefix.
  taskers = {
    warehouse = {
      cluster_identifier = "analytics"
      workgroup_name     = null
      database           = "dev"
      db_user            = "etl_user"
    }
    reporting = {
      cluster_identifier = null
      workgroup_name     = "reporting"
      database           = "reports"
      db_user            = null
    }
  }
}

module "redshift_tasker" {
  source   = "../../terraform-module"
  for_each = local.taskers

  name_prefix        = "tasker-${each.key}"
  cluster_identifier = each.value.cluster_identifier
  workgroup_name     = each.value.workgroup_name
  database           = each.value.database
  db_user            = each.value.db_user

  log_level          = "INFO"
  log_retention_days = 14
  state_machine_arns = [local.nightly_load_arn]
  tags = {
    Project = "plain-terraform-example"
  }

  # SQL run by `terraform apply` (create/update) and `terraform destroy` (destroy), through the
  # tasker function, once its permissions exist. Entries run in parallel; depends_on_keys orders
  # them (created after, destroyed before). A list is one transaction.
  sql_resources = each.key != "warehouse" ? null : {
    staging_schema = {
      create  = "CREATE SCHEMA IF NOT EXISTS staging"
      destroy = "DROP SCHEMA IF EXISTS staging"
    }
    sales_table = {
      create = [
        "CREATE TABLE staging.sales (id BIGINT, amount DECIMAL(12, 2), sold_at TIMESTAMP)",
        "GRANT SELECT ON staging.sales TO GROUP reporting",
      ]
      destroy         = "DROP TABLE IF EXISTS staging.sales"
      depends_on_keys = ["staging_schema"]
    }
  }
}

# The tasker answers task tokens of this state machine only (state_machine_arns). Its name is known
# before it exists, so the ARN is built from the name instead of referring to the resource, which
# would be a cycle (the state machine refers to the tasker's function).
data "aws_partition" "current" {}

locals {
  nightly_load_name = "nightly-load"
  # The account id from a role ARN: data "aws_caller_identity" would call STS while planning.
  account_id       = element(split(":", aws_iam_role.state_machine.arn), 4)
  nightly_load_arn = "arn:${data.aws_partition.current.partition}:states:${var.region}:${local.account_id}:stateMachine:${local.nightly_load_name}"
}

# --- A state machine that runs SQL on the warehouse cluster and waits for the result ----------

resource "aws_iam_role" "state_machine" {
  name = "nightly-load-state-machine"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "state_machine_invokes_tasker" {
  name = "invoke-redshift-tasker"
  role = aws_iam_role.state_machine.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "lambda:InvokeFunction"
      Resource = [module.redshift_tasker["warehouse"].function_arn]
    }]
  })
}

resource "aws_sfn_state_machine" "nightly_load" {
  name     = local.nightly_load_name
  role_arn = aws_iam_role.state_machine.arn
  definition = jsonencode({
    Comment = "Runs one SQL statement on the warehouse cluster and waits for it to finish."
    StartAt = "LoadSales"
    States = {
      LoadSales = {
        Type     = "Task"
        Resource = "arn:aws:states:::lambda:invoke.waitForTaskToken"
        Parameters = {
          FunctionName = module.redshift_tasker["warehouse"].function_arn
          Payload = {
            "taskToken.$"    = "$$.Task.Token"
            "executionArn.$" = "$$.Execution.Id"
            action           = "executeStatement"
            sqlStatement     = "CALL load_sales()"
          }
        }
        HeartbeatSeconds = 3600
        Retry = [{
          ErrorEquals     = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException"]
          IntervalSeconds = 2
          MaxAttempts     = 6
          BackoffRate     = 2
        }]
        Catch = [{
          ErrorEquals = ["FAILED"]
          Next        = "LoadFailed"
        }]
        End = true
      }
      LoadFailed = {
        Type  = "Fail"
        Error = "LoadFailed"
        Cause = "The SQL statement failed; see the execution history for Redshift's error."
      }
    }
  })

  depends_on = [aws_iam_role_policy.state_machine_invokes_tasker]
}

output "tasker_function_arns" {
  description = "Tasker function ARN per Redshift target."
  value       = { for name, tasker in module.redshift_tasker : name => tasker.function_arn }
}

output "sql_resource_results" {
  description = "What the warehouse's SQL resources ran (the handler's answer per key)."
  value       = module.redshift_tasker["warehouse"].sql_resource_results
}

output "state_machine_arn" {
  description = "ARN of the state machine that calls the warehouse tasker."
  value       = aws_sfn_state_machine.nightly_load.arn
}
