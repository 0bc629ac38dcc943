/** The invocation's time budget as the routes see it (runToCompletion itself: terraform-lifecycle.test.ts, cloudformation.test.ts). */
import { timeBudgetOf } from '../../../../functions/tasker/statements/run-to-completion';

describe('timeBudgetOf', () => {
  it('takes a Lambda context as the budget, and a context without getRemainingTimeInMillis as none', () => {
    const lambdaContext = { getRemainingTimeInMillis: () => 1_234, invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:f' };
    expect(timeBudgetOf(lambdaContext)?.getRemainingTimeInMillis()).toBe(1_234);
    expect(timeBudgetOf(lambdaContext)?.invokedFunctionArn).toBe(lambdaContext.invokedFunctionArn);
    expect(timeBudgetOf({})).toBeUndefined();
    expect(timeBudgetOf({ getRemainingTimeInMillis: 5 })).toBeUndefined();
    expect(timeBudgetOf(undefined)).toBeUndefined();
  });
});
