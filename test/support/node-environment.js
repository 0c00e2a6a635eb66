const { TestEnvironment } = require('jest-environment-node');

/**
 * Jest runs tests in a VM context whose `Error` is not the one Node's own fetch throws with, so
 * libraries that test `err instanceof Error` (the OpenAI SDK does, to tell a timeout from a broken
 * connection) judge Node's errors differently under Jest than in production. Accept both realms.
 */
class SameRealmErrorsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const VmError = this.global.Error;
    const HostError = Error;
    Object.defineProperty(VmError, Symbol.hasInstance, {
      // Subclasses inherit this static method: only `Error` itself widens its test.
      value: function (value) {
        return Function.prototype[Symbol.hasInstance].call(this, value) || (this === VmError && value instanceof HostError);
      },
    });
  }
}

module.exports = SameRealmErrorsEnvironment;
