import { frenchCount, summarize } from '../../../functions/domain/standardize/report';

describe('report sentences', () => {
  it('writes counts as toLocaleString("fr-FR") does', () => {
    for (const n of [0, 1, 7, 12, 999, 1000, 1001, 12345, 100000, 999999, 1000000, 1234567, 2 ** 31, 98765432109, -1, -1234]) {
      expect(frenchCount(n)).toBe(n.toLocaleString('fr-FR'));
    }
  });

  it('summarizes a verdict in one French sentence', () => {
    expect(summarize(true, 100000, 0, 1)).toBe('Fichier conforme : 100\u202f000 lignes publiées (1 avertissement).');
    expect(summarize(true, 1, 0, 0)).toBe('Fichier conforme : 1 ligne publiée.');
    expect(summarize(false, 1, 2, 0)).toBe('Fichier refusé : 2 erreurs à corriger (fichier de 1 ligne). Rien n’a été publié ; la version précédente, s’il y en a une, reste en ligne.');
    expect(summarize(false, 0, 1, 0)).toBe('Fichier refusé : il n’a pas pu être lu (voir ci-dessous). Rien n’a été publié ; la version précédente, s’il y en a une, reste en ligne.');
  });
});
