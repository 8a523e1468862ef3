/*
 * A tiny JSON Schema (draft-07) checker for the keywords the official DECP schema uses:
 * $ref (local), type, required, properties, additionalProperties: false, items, enum,
 * pattern, min/maxLength, minimum/maximum, minItems, anyOf. Enough to check our output
 * against the oracle without a JSON-Schema library.
 */
type Schema = Record<string, unknown>;

function resolve(root: Schema, ref: string): Schema {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<Schema>((node, key) => node[key] as Schema, root);
}

function typeOk(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

export function validateJsonSchema(root: Schema, value: unknown, schema: Schema = root, at = '$'): string[] {
  const errors: string[] = [];
  if (typeof schema.$ref === 'string') errors.push(...validateJsonSchema(root, value, resolve(root, schema.$ref), at));
  if (typeof schema.type === 'string' && !typeOk(schema.type, value)) {
    return [...errors, `${at}: expected ${schema.type}`];
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: pattern ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) errors.push(`${at}: too short`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) errors.push(`${at}: too long`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: below minimum`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: above maximum`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: too few items`);
    if (schema.items) value.forEach((item, i) => errors.push(...validateJsonSchema(root, item, schema.items as Schema, `${at}[${i}]`)));
  }
  if (typeOk('object', value)) {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) {
      if (!(key in object)) errors.push(`${at}: missing required ${key}`);
    }
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, child] of Object.entries(object)) {
      if (properties[key]) errors.push(...validateJsonSchema(root, child, properties[key], `${at}.${key}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property ${key}`);
    }
  }
  if (Array.isArray(schema.anyOf)) {
    const ok = (schema.anyOf as Schema[]).some((option) => validateJsonSchema(root, value, option, at).length === 0);
    if (!ok) errors.push(`${at}: matches none of anyOf`);
  }
  return errors;
}
