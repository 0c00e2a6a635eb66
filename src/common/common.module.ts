import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { InProcessRunningTurns, RunningTurns } from './running-turns';

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: RunningTurns, useClass: InProcessRunningTurns },
  ],
  // SessionLock is provided by CoordinationModule: in process, or in Redis across instances.
  exports: [Clock, RunningTurns],
})
export class CommonModule {}
