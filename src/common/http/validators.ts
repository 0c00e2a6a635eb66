import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { buildMessage, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { ISO_DATE_FORMS, parseIsoMoment } from '../iso-date';

/** The largest value a PostgreSQL `integer` column (ids, counters) holds. */
export const INT32_MAX = 2_147_483_647;

/** A whole number JavaScript holds exactly (`Number.isSafeInteger`): larger ones reach no store intact. */
export const IsSafeInt = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isSafeInt',
      validator: {
        validate: (value) => Number.isSafeInteger(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a whole number within ±${Number.MAX_SAFE_INTEGER}`, options),
      },
    },
    options,
  );

/** A date or time in the one ISO-8601 subset the queries read (see `parseIsoMoment`). */
export const IsIsoMoment = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isIsoMoment',
      validator: {
        validate: (value) => typeof value === 'string' && parseIsoMoment(value) !== undefined,
        defaultMessage: buildMessage((each) => `${each}$property must be ${ISO_DATE_FORMS}, in years 0001–9999 UTC`, options),
      },
    },
    options,
  );

/** May be left out, but not sent as null: a null would reach the store as a value (`LIMIT NULL`, `id < NULL`). */
export const IsOptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/**
 * An optional field whose default is its initializer, so the DTO is the one place that says it.
 * Absent, it takes the default; null is validated (and refused) like any other wrong value.
 */
export const WithDefault = () => applyDecorators(IsOptionalNotNull(), ApiProperty({ required: false }));
