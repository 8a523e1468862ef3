import { frPhoneToInternational } from '../../../functions/domain/schema/normalize-fr';
import type { FieldDescriptor } from '../../../functions/domain/schema/types';
import { one } from './helpers';

describe('frPhoneToInternational', () => {
  it.each([
    '05 61 72 00 00',
    '05.61.72.00.00',
    '05-61-72-00-00',
    '05/61/72/00/00',
    '0561720000',
    '05\u00a061\u00a072\u00a000\u00a000',
    '+33 5 61 72 00 00',
    '+33 (0)5 61 72 00 00',
    '+33 0561720000',
    '+33561720000',
    '(+33) 5 61 72 00 00',
    '0033561720000',
    '00 33 5 61 72 00 00',
    '+33 561720000',
    // A number cell keeps 0561720000 as 561720000 (LibreOffice and Excel alike).
    '561720000',
  ])('%s → +33 561720000', (typed) => {
    expect(frPhoneToInternational(typed)).toBe('+33 561720000');
  });

  it('writes mobiles and non-geographic numbers the same way', () => {
    expect(frPhoneToInternational('06 12 34 56 78')).toBe('+33 612345678');
    // 0695, 0698 and 0699 are mainland mobiles, unlike the overseas 0690–0694, 0696, 0697.
    expect(frPhoneToInternational('06 98 12 34 56')).toBe('+33 698123456');
    expect(frPhoneToInternational('0699123456')).toBe('+33 699123456');
    expect(frPhoneToInternational('06 95 12 34 56')).toBe('+33 695123456');
    expect(frPhoneToInternational('09.70.12.34.56')).toBe('+33 970123456');
  });

  it.each([
    ['a foreign number', '+44 20 7946 0958'],
    ['a Réunion number (+262, not +33)', '0262 12 34 56'],
    ['a Réunion number written with +33', '+33 262 12 34 56'],
    ['a Martinique mobile', '06 96 12 34 56'],
    ['a Saint-Pierre-et-Miquelon number (+508)', '05 08 41 12 34'],
    ['an overseas mobile in the 07 range (+262)', '07 09 21 23 45'],
    ['a digit short', '05 61 72 00 0'],
    ['a digit too many', '05 61 72 00 000'],
    ['an overseas number that lost its 0 in a spreadsheet', '590123456'],
    ['+33 without its +', '33 5 61 72 00 00'],
    ['00 after the trunk 0', '00 61 72 00 00'],
    ['two numbers', '05 61 72 00 00 / 05 61 72 00 01'],
    ['an extension', '05 61 72 00 00 poste 12'],
    ['text', 'non communiqué'],
  ])('leaves %s alone: %s', (_, typed) => {
    expect(frPhoneToInternational(typed)).toBeNull();
  });
});

describe('a text field whose example is a French number in the international form', () => {
  // As SCDL équipements declares EQUIP_TEL: no pattern, 13 characters at most.
  const tel: FieldDescriptor = { name: 'EQUIP_TEL', type: 'string', example: '+33 140633900', constraints: { maxLength: 13 } };

  it('writes French numbers in that form', () => {
    for (const typed of ['05 61 72 00 00', '05.61.72.00.00', '0561720000', '+33 5 61 72 00 00', '+33 (0)5 61 72 00 00', '0033561720000']) {
      expect({ typed, ...one(tel, typed) }).toMatchObject({ typed, value: '+33 561720000', codes: [] });
    }
  });

  it('keeps anything else as typed: too long, it fails as before and shows the expected form', () => {
    const foreign = one(tel, '+44 20 7946 0958');
    expect(foreign).toMatchObject({ value: '+44 20 7946 0958', codes: ['max-length'] });
    expect(foreign.issues[0].message).toBe(
      'La valeur « +44 20 7946 0958 » fait 16 caractères ; 13 au plus : écrivez un seul numéro, au format international (l’indicatif du pays puis le numéro sans son 0 initial), par exemple « +33 140633900 ».',
    );
    expect(one(tel, '05 61 72 00 00 / 05 61 72 00 01').codes).toEqual(['max-length']);
    expect(one(tel, '0262 12 34 56')).toMatchObject({ value: '0262 12 34 56', codes: [] });
    expect(one(tel, 'inconnu')).toMatchObject({ value: 'inconnu', codes: [] });
  });

  it('needs no constraint to apply, and applies to no other field', () => {
    expect(one({ name: 'tel', type: 'string', example: '+33 140633900' }, '01 40 63 39 00').value).toBe('+33 140633900');
    expect(one({ name: 'tel', type: 'string', title: 'Téléphone' }, '01 40 63 39 00').value).toBe('01 40 63 39 00');
    expect(one({ name: 'tel', type: 'string', example: '01 40 63 39 00', constraints: { maxLength: 14 } }, '0140633900').value).toBe('0140633900');
    const other = one({ name: 'code', type: 'string', example: 'AB12', constraints: { maxLength: 13 } }, '05 61 72 00 00 0');
    expect(other.codes).toEqual(['max-length']);
    expect(other.issues[0].message).not.toContain('international');
  });

  it('keeps a number the field would then refuse as typed', () => {
    const short = { ...tel, constraints: { maxLength: 12 } };
    expect(one(short, '0561720000')).toMatchObject({ value: '0561720000', codes: [] });
    const national = { ...tel, constraints: { pattern: '^[0-9 .-]+$' } };
    expect(one(national, '05-61-72-00-00')).toMatchObject({ value: '05-61-72-00-00', codes: [] });
  });
});
