/**
 * Whose file it is: the column naming the collectivité (COLL_SIRET, idAttribuant, a BAL's
 * commune_insee) against the tenant's SIREN or INSEE code, over the first records published.
 */
import { otherPublisherIssue } from '../../../functions/domain/datasets/publisher-identity';

const castanet = { name: 'Commune de Castanet-Tolosan', siren: '213101132', inseeCode: '31113' };

describe('otherPublisherIssue', () => {
  it('warns when no record names the tenant: another commune’s BAL, another collectivité’s délibérations', () => {
    expect(otherPublisherIssue({ id: 'bal' }, ['cle_interop', 'commune_insee'], [['31458_0010_00001', '31458']], castanet)).toEqual({
      code: 'other-publisher',
      severity: 'warning',
      column: 'commune_insee',
      value: '31458',
      message:
        'Ce fichier semble être celui d’une autre collectivité : la colonne « commune_insee » vaut 31458, alors que le compte est celui de Commune de Castanet-Tolosan (code INSEE 31113). Vérifiez que c’est bien votre fichier ; une intercommunalité ou un département qui publie pour d’autres peut ignorer ce message.',
    });
    const delib = otherPublisherIssue({ id: 'scdl/deliberations' }, ['COLL_NOM', 'COLL_SIRET'], [['Roques', '21310458100011']], castanet);
    expect(delib?.message).toContain('vaut 21310458100011 (SIREN 213104581), alors que le compte est celui de Commune de Castanet-Tolosan (SIREN 213101132)');
  });

  it('says nothing when a record names the tenant (any of its establishments), when the column is empty, or the schema names no one', () => {
    expect(otherPublisherIssue({ id: 'scdl/subventions' }, ['idAttribuant'], [['21310113200010'], ['21310458100011']], castanet)).toBeUndefined();
    expect(otherPublisherIssue({ id: 'scdl/subventions' }, ['idAttribuant'], [[''], [null]], castanet)).toBeUndefined();
    expect(otherPublisherIssue({ id: 'decp' }, ['acheteur.id'], [['21310458100011']], castanet)).toBeUndefined();
    expect(otherPublisherIssue(null, ['COLL_SIRET'], [['21310458100011']], castanet)).toBeUndefined();
    // No INSEE code on the account: a BAL is not judged.
    expect(otherPublisherIssue({ id: 'bal' }, ['commune_insee'], [['31458']], { name: 'Sicoval', siren: '243100518' })).toBeUndefined();
  });
});
