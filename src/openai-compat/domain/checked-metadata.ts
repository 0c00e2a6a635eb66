import { InvalidFieldError } from '../../common/domain-error';
import { MAX_METADATA_KEY_CHARS, MAX_METADATA_KEYS, MAX_METADATA_VALUE_CHARS, Metadata } from './conversation-metadata';

/** OpenAI's metadata rules: at most 16 pairs, keys of up to 64 characters, string values of up to 512; absent or null is none. */
export function checkedMetadata(value: unknown): Metadata {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new InvalidFieldError('metadata', 'metadata must be an object of string values.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_METADATA_KEYS) throw new InvalidFieldError('metadata', `metadata holds at most ${MAX_METADATA_KEYS} keys.`);
  for (const [key, inner] of entries) {
    if (Array.from(key).length > MAX_METADATA_KEY_CHARS) throw new InvalidFieldError('metadata', `metadata keys are at most ${MAX_METADATA_KEY_CHARS} characters.`);
    if (typeof inner !== 'string') throw new InvalidFieldError(`metadata.${key}`, `metadata.${key} must be a string.`);
    if (Array.from(inner).length > MAX_METADATA_VALUE_CHARS) throw new InvalidFieldError(`metadata.${key}`, `metadata values are at most ${MAX_METADATA_VALUE_CHARS} characters.`);
  }
  return Object.fromEntries(entries) as Metadata;
}
