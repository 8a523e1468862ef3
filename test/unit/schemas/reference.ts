import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The official schemas and examples gathered in ../shared/reference (test oracles only). */
export const REFERENCE_DIR = path.resolve(__dirname, '../../../../shared/reference');
export const hasReference = existsSync(path.join(REFERENCE_DIR, 'scdl'));

export function referencePath(...parts: string[]): string {
  return path.join(REFERENCE_DIR, 'scdl', ...parts);
}

export function readReferenceJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(referencePath(...parts), 'utf8')) as T;
}

/** Register the suite, or one test saying why it did not run (lint forbids skipped tests). */
export function describeWithReference(name: string, body: () => void): void {
  if (hasReference) {
    describe(name, body);
  } else {
    describe(name, () => {
      it('is skipped: the reference directory is absent', () => {
        console.warn(`${name}: ${REFERENCE_DIR} not found, reference conformance not checked`);
      });
    });
  }
}

export interface OfficialField {
  name: string;
  type: string;
  format?: string;
  example?: string;
  examples?: string;
  constraints?: Record<string, unknown>;
}

export interface OfficialSchema {
  name: string;
  version: string;
  fields: OfficialField[];
  custom_checks?: { name: string; params: Record<string, unknown> }[];
}
