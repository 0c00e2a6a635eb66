import { Transform } from 'class-transformer';

/** Session ids compare case-insensitively: store and look them up in lower case. */
export const LowerCase = () => Transform(({ value }) => (typeof value === 'string' ? value.toLowerCase() : value));

/** `true` / `false` in a query string become booleans; anything else is left for the validator to refuse. */
export const QueryBool = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** Query strings are text: turn digit strings into numbers and leave anything else for the validator to refuse. */
export const QueryInt = () =>
  Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value));
