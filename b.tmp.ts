import { bundleTerminationHandler } from './lambda/termination-handler/bundle';
bundleTerminationHandler('/tmp/thb').then((r) => console.log(r));
