import Database from 'better-sqlite3';
import { StorageFullError, StoreUnavailableError } from '../common/domain-error';
import { postgresFailure, provesWrites, sqliteFailure } from './store-failure';

function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const pgError = (code: string, message = 'server said no') => Object.assign(new Error(message), { code });

describe('postgresFailure', () => {
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a pool acquire timeout', new Error('timeout exceeded when trying to connect')],
    ['a query read timeout', new Error('Query read timeout')],
    ['an admin shutdown', pgError('57P01')],
    ['a statement timeout', pgError('57014')],
    ['a read-only transaction', pgError('25006')],
    ['too many connections', pgError('53300')],
    ['a connection exception', pgError('08006')],
  ])('should call %s a store outage', (_, error) => {
    const failure = postgresFailure(error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure?.cause).toBe(error);
  });

  it('should call a full disk storage_full', () => {
    expect(postgresFailure(pgError('53100'))).toBeInstanceOf(StorageFullError);
  });

  it.each([
    ['a syntax error', pgError('42601')],
    ['a unique violation', pgError('23505')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('should leave %s alone: it is ours', (_, error) => {
    expect(postgresFailure(error)).toBeUndefined();
  });
});

describe('sqliteFailure', () => {
  let db: Database.Database;

  beforeEach(() => {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (x TEXT PRIMARY KEY)');
  });
  afterEach(() => db.open && db.close());

  it('should call a full database storage_full', () => {
    db.pragma('max_page_count = 1');
    const error = thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(10_000)));
    expect(sqliteFailure(error)).toBeInstanceOf(StorageFullError);
  });

  it('should call a read-only database store_unavailable', () => {
    db.pragma('query_only = ON');
    const error = thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run('x'));
    expect(sqliteFailure(error)).toBeInstanceOf(StoreUnavailableError);
  });

  it('should call a closed connection store_unavailable', () => {
    db.close();
    const error = thrownBy(() => db.prepare('SELECT 1'));
    expect(sqliteFailure(error)).toBeInstanceOf(StoreUnavailableError);
  });

  it.each([['SQLITE_BUSY'], ['SQLITE_IOERR_WRITE'], ['SQLITE_CANTOPEN'], ['SQLITE_READONLY_DBMOVED']])('should call %s store_unavailable', (code) => {
    expect(sqliteFailure(Object.assign(new Error(code), { code }))).toBeInstanceOf(StoreUnavailableError);
  });

  it('should leave syntax errors and constraint violations alone', () => {
    expect(sqliteFailure(thrownBy(() => db.prepare('SELEC 1')))).toBeUndefined();
    db.prepare('INSERT INTO t VALUES (?)').run('x');
    expect(sqliteFailure(thrownBy(() => db.prepare('INSERT INTO t VALUES (?)').run('x')))).toBeUndefined();
  });
});

describe('provesWrites', () => {
  it('should take a working SELECT as no sign that writes work, and any other statement as one', () => {
    expect(['SELECT 1', '  select x FROM t'].map(provesWrites)).toEqual([false, false]);
    expect(['INSERT INTO t VALUES (1) RETURNING id', 'WITH s AS (UPDATE t SET x = 1 RETURNING x) SELECT * FROM s', 'DELETE FROM t'].map(provesWrites)).toEqual([true, true, true]);
  });
});
