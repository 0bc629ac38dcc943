import { toColumnMetadata, toField, toRecords } from '../../../local/redshift-data/records';

const col = (typeName: string) => ({ name: 'c', typeId: 0, typeName });

describe('toField', () => {
  it.each([
    ['int2', '3', { longValue: 3 }],
    ['int4', '-42', { longValue: -42 }],
    ['int8', '9007199254740991', { longValue: 9007199254740991 }],
    ['float8', '1.5', { doubleValue: 1.5 }],
    ['float4', 'NaN', { stringValue: 'NaN' }],
    ['bool', 't', { booleanValue: true }],
    ['bool', 'f', { booleanValue: false }],
    ['numeric', '10.50', { stringValue: '10.50' }],
    ['timestamp', '2024-01-02 03:04:05', { stringValue: '2024-01-02 03:04:05' }],
    ['varchar', 'abc', { stringValue: 'abc' }],
  ])('%s %j', (typeName, text, field) => {
    expect(toField(text, col(typeName))).toEqual(field);
  });

  it('gives NULL as isNull whatever the type', () => {
    expect(toField(null, col('int4'))).toEqual({ isNull: true });
  });
});

describe('toRecords / toColumnMetadata', () => {
  it('types each column of each row', () => {
    expect(
      toRecords(
        [
          ['1', 'x'],
          [null, 'y'],
        ],
        [col('int4'), col('text')],
      ),
    ).toEqual([
      [{ longValue: 1 }, { stringValue: 'x' }],
      [{ isNull: true }, { stringValue: 'y' }],
    ]);
  });

  it('describes a column with its PostgreSQL type name', () => {
    expect(toColumnMetadata({ name: 'total', typeId: 1700, typeName: 'numeric' })).toMatchObject({
      name: 'total',
      label: 'total',
      typeName: 'numeric',
      isSigned: true,
      isCaseSensitive: false,
    });
  });
});
