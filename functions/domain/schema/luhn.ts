/**
 * SIREN / SIRET keys (INSEE): both end with a Luhn check digit. La Poste's establishments
 * share SIREN 356000000 and cannot all satisfy Luhn, so INSEE gives their SIRETs a
 * different rule: the plain sum of the 14 digits is a multiple of 5.
 */

const LA_POSTE_SIREN = '356000000';
/** La Poste's head office keeps an ordinary Luhn key. */
const LA_POSTE_HEAD_OFFICE = '35600000000048';

/** Exactly `length` ASCII digits. */
export function allDigits(s: string, length: number): boolean {
  if (s.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Luhn checksum over an all-digit string (caller checks the digits). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** 9 digits with a valid Luhn key. */
export function isValidSiren(s: string): boolean {
  return allDigits(s, 9) && luhnValid(s);
}

/**
 * 14 digits with a valid Luhn key, or a La Poste establishment SIRET whose digit sum is a
 * multiple of 5. One pass computes both sums: it runs on every SIRET cell of a file.
 */
export function isValidSiret(s: string): boolean {
  if (s.length !== 14) return false;
  let luhn = 0;
  let plain = 0;
  for (let i = 0; i < 14; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    plain += d;
    // Luhn doubles every second digit from the right: with 14 digits, those at even positions.
    luhn += (i & 1) === 1 ? d : d > 4 ? 2 * d - 9 : 2 * d;
  }
  if (s.startsWith(LA_POSTE_SIREN) && s !== LA_POSTE_HEAD_OFFICE) return plain % 5 === 0;
  return luhn % 10 === 0;
}

/**
 * What is wrong with a value that is not a SIRET, in French, after « La valeur « … » »: a
 * SIREN where the establishment's SIRET is due (the usual mistake), a number a spreadsheet
 * rewrote (`3,24021E+13`, `…000.0`), a wrong key, a wrong number of digits, other characters.
 */
export function siretProblem(s: string): string {
  let digits = true;
  for (let i = 0; i < s.length && digits; i++) digits = s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;
  if (!digits) {
    if (/^\d[.,]\d+e\+?\d+$/i.test(s)) {
      return "a été changée en nombre par le tableur (notation « E+ ») et a perdu des chiffres : mettez la colonne au format texte et saisissez à nouveau les numéros SIRET.";
    }
    if (/^\d+[.,]0+$/.test(s)) return "porte une décimale ajoutée par le tableur : un SIRET s’écrit avec 14 chiffres seulement (mettez la colonne au format texte).";
    return "n’est pas un numéro SIRET : un SIRET s’écrit avec 14 chiffres, sans lettre ni autre signe.";
  }
  if (s.length === 9) {
    return "compte 9 chiffres : c’est un numéro SIREN. Il faut le SIRET de l’établissement, 14 chiffres (le SIREN suivi de 5 chiffres).";
  }
  if (s.length !== 14) return `compte ${s.length} chiffres : un numéro SIRET en compte 14.`;
  return "n’est pas un numéro SIRET valide : sa clé de contrôle ne correspond pas (un chiffre mal recopié ?).";
}
