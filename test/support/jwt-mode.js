// The e2e suites again with accounts on: createTestApp signs every request in as its test account.
process.env.TEST_AUTH_MODE = 'jwt';
