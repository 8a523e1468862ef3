/** Registry of the Validata custom checks we implement, by their `custom_checks` name. */
import type { CustomCheck } from './check';
import { cohesiveColumnsValue } from './cohesive-columns-value';
import { compareColumnsValue } from './compare-columns-value';
import { frenchSiretValue } from './french-siret-value';
import { nomenclatureActesValue } from './nomenclature-actes-value';
import { oneOfRequired } from './one-of-required';
import { sumColumnsValue } from './sum-columns-value';
import { yearIntervalValue } from './year-interval-value';

export type { CheckContext, CustomCheck, RowCheck } from './check';

const ALL: CustomCheck<never>[] = [
  frenchSiretValue,
  oneOfRequired,
  compareColumnsValue,
  sumColumnsValue,
  cohesiveColumnsValue,
  yearIntervalValue,
  nomenclatureActesValue,
] as unknown as CustomCheck<never>[];

export const CUSTOM_CHECKS: ReadonlyMap<string, CustomCheck<unknown>> = new Map(
  ALL.map((c) => [c.name, c as unknown as CustomCheck<unknown>]),
);
