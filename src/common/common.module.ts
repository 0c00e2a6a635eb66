import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { InProcessRunningTurns, RunningTurns } from './running-turns';
import { InProcessSessionLock, SessionLock } from './session-lock';

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: SessionLock, useClass: InProcessSessionLock },
    { provide: RunningTurns, useClass: InProcessRunningTurns },
  ],
  exports: [Clock, SessionLock, RunningTurns],
})
export class CommonModule {}
