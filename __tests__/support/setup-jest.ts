// Registers cdktf's jest matchers (toHaveResource, toBeValidTerraform, toPlanSuccessfully, ...).
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';

Testing.setupJest();
