import { exclusiveEnd, parseIsoMoment } from '../../src/common/iso-date';

describe(parseIsoMoment.name, () => {
  it.each([
    ['2024-02-29', '2024-02-29T00:00:00.000Z', true],
    ['2024-01-01T10:00Z', '2024-01-01T10:00:00.000Z', false],
    ['2024-01-01T10:00:05Z', '2024-01-01T10:00:05.000Z', false],
    ['2024-01-01T10:00:05.5Z', '2024-01-01T10:00:05.500Z', false],
    ['2024-01-01T10:00:05.123+02:00', '2024-01-01T08:00:05.123Z', false],
    ['2024-01-01T00:30-01:30', '2024-01-01T02:00:00.000Z', false],
    ['0001-01-01', '0001-01-01T00:00:00.000Z', true],
    ['0099-12-31T23:59:59.999Z', '0099-12-31T23:59:59.999Z', false],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', false],
    ['9999-12-31T23:59:59.999-00:00', '9999-12-31T23:59:59.999Z', false],
  ])('should read %s as %s', (text, iso, dateOnly) => {
    expect(parseIsoMoment(text)).toEqual({ at: new Date(iso), dateOnly });
  });

  it.each([
    '2024-W05-1', '2024-060', '20240101T1000', '20240101', '2024-01-01T10', '2024-01-01T10:00:00,5Z', '2024-01-01T10:00:00',
    '2024-01-01T10:00', '2024-01-01 10:00Z', '2024-01-01t10:00z', '+012024-01-01', '2024-1-01', '2023-02-29', '2024-04-31',
    '2024-13-01', '2024-00-10', '2024-01-01T24:00Z', '2024-01-01T10:60Z', '2024-01-01T10:00:60Z', '2024-01-01T10:00:00.1234Z',
    '2024-01-01T10:00+24:00', '2024-01-01T10:00+02', '0000-12-31', '0001-01-01T00:00+00:01', '9999-12-31T23:59-00:01',
    '10000-01-01', '', ' 2024-01-01', '2024-01-01\n', '２０２４-01-01',
  ])('should refuse %j', (text) => {
    expect(parseIsoMoment(text)).toBeUndefined();
  });
});

describe(exclusiveEnd.name, () => {
  it('should end a date with its day and an instant with its millisecond', () => {
    expect(exclusiveEnd(parseIsoMoment('2024-02-28')!)).toEqual(new Date('2024-02-29T00:00:00.000Z'));
    expect(exclusiveEnd(parseIsoMoment('2024-02-28T10:00Z')!)).toEqual(new Date('2024-02-28T10:00:00.001Z'));
  });

  it('should drop the bound when its end lies past what the stores hold', () => {
    expect(exclusiveEnd(parseIsoMoment('9999-12-31')!)).toBeUndefined();
    expect(exclusiveEnd(parseIsoMoment('9999-12-31T23:59:59.999Z')!)).toBeUndefined();
    expect(exclusiveEnd(parseIsoMoment('9999-12-31T23:59:59.998Z')!)).toEqual(new Date('9999-12-31T23:59:59.999Z'));
  });
});
