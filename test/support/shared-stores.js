// The e2e-shared project: test apps run on a scratch PostgreSQL database and a Redis namespace.
process.env.E2E_SHARED_STORES = '1';
