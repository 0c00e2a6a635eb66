import { Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { InProcessSessionLock, SessionLock } from './session-lock';

@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: SessionLock, useClass: InProcessSessionLock },
  ],
  exports: [Clock, SessionLock],
})
export class CommonModule {}
