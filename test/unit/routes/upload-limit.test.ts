/**
 * Why an upload is refused for its size (413 file_too_large): two sizes that a reader can
 * tell apart, never « 100,0 Mo pour une limite de 100,0 Mo ».
 */
import { exactBytes, fileTooLargeMessage } from '../../../functions/publish/upload-limit';

const MB = 1024 * 1024;

describe('fileTooLargeMessage', () => {
  it('gives the exact byte counts, grouped by thousands, when both sizes round to the same figure', () => {
    expect(fileTooLargeMessage(100 * MB + 1, 100 * MB)).toBe('Fichier trop volumineux : 104\u202f857\u202f601 octets pour une limite de 104\u202f857\u202f600 octets.');
    expect(fileTooLargeMessage(1025, 1024)).toBe('Fichier trop volumineux : 1\u202f025 octets pour une limite de 1\u202f024 octets.');
  });

  it('keeps the rounded sizes when they differ', () => {
    expect(fileTooLargeMessage(250 * MB, 100 * MB)).toBe('Fichier trop volumineux : 250,0 Mo pour une limite de 100,0 Mo.');
    expect(fileTooLargeMessage(1001, 1000)).toBe('Fichier trop volumineux : 1001 octets pour une limite de 1000 octets.');
  });
});

describe('exactBytes', () => {
  it.each([
    [0, '0 octets'],
    [999, '999 octets'],
    [1000, '1\u202f000 octets'],
    [104857600, '104\u202f857\u202f600 octets'],
    [Number.MAX_SAFE_INTEGER, '9\u202f007\u202f199\u202f254\u202f740\u202f991 octets'],
  ])('%d → %s', (n, text) => {
    expect(exactBytes(n)).toBe(text);
  });
});
