// Lives with the database layer so that the adapters of every module (search, export) narrow alike.
export { SqlFragment, visibleTo } from '../../database/ownership';
