/**
 * DECP's `decp.json`: the national nested shape (`{"marches": {"marche": […],
 * "contrat-concession": […]}}`), rebuilt from each validated flat row (decp/flatten.ts) as it
 * comes. Marchés are written as they come; concessions, which follow them in the document and
 * are few (a collectivity grants a handful), are held as their JSON text until the footer.
 * So memory stays flat on a large file of marchés, as for the other outputs.
 */
import { Value } from '../../schema/types';
import { unflattenContract } from '../../schemas/decp/flatten';
import { ByteBuffer } from './byte-buffer';
import { BaseTableWriter } from './table-writer';

export class DecpWriter extends BaseTableWriter {
  readonly contentType = 'application/json; charset=utf-8';
  private readonly kindAt: number;
  private marches = 0;
  private readonly concessions: string[] = [];

  constructor(private readonly fields: readonly string[]) {
    super();
    this.kindAt = fields.indexOf('_type');
  }

  header(): string {
    return '{"marches":{';
  }

  writeRow(values: readonly Value[], out: ByteBuffer): void {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < this.fields.length; i++) row[this.fields[i]] = values[i];
    if (values[this.kindAt] === 'Contrat de concession') {
      this.concessions.push(JSON.stringify(unflattenContract(row, 'Contrat de concession')));
      return;
    }
    out.utf8((this.marches++ === 0 ? '"marche":[' : ',') + JSON.stringify(unflattenContract(row, 'Marché')));
  }

  /** The lists a document holds (the official schema wants one at least): `marche` when it has marchés or nothing at all. */
  footer(): string {
    const concessions = this.concessions.length ? `"contrat-concession":[${this.concessions.join(',')}]` : '';
    if (this.marches > 0) return `]${concessions ? `,${concessions}` : ''}}}`;
    return `${concessions || '"marche":[]'}}}`;
  }
}
