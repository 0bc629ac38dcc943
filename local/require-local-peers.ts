// Imported first by the `cdktf-stepfunctions-redshift/local` entry point: a missing peer dependency is named
// before any module that needs it loads.
import { LOCAL_KIT_PACKAGES, requirePeers } from './peer-dependencies';

requirePeers(LOCAL_KIT_PACKAGES);
