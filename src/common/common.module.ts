import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
  ],
  // SessionLock is provided by CoordinationModule: in process, or in Redis across instances.
  exports: [Clock],
})
export class CommonModule {}
