/**
 * A JSON Schema (draft-07) validator for the keywords lake.json's schema uses, so tests can check the
 * published schema the way an editor does: does a document validate, and where does it not.
 * A keyword it does not know fails loudly, so the schema cannot outgrow this check unnoticed.
 */
import type { JsonSchema, JsonType } from "../../src/pipeline/config-schema.ts";

const KNOWN = new Set([
  "$schema",
  "title",
  "description",
  "default",
  "type",
  "properties",
  "additionalProperties",
  "propertyNames",
  "required",
  "items",
  "minItems",
  "uniqueItems",
  "enum",
  "const",
  "pattern",
  "minLength",
  "minimum",
  "maximum",
  "allOf",
  "oneOf",
  "not",
  "if",
  "then",
]);

/** Where `value` breaks `schema`, as JSON paths with the keyword (`/engine/threads: minimum`); empty when valid. */
export function schemaErrors(value: unknown, schema: JsonSchema, path = ""): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`${path || "/"}: the test validator does not know ${keyword}`);
  }
  const errors: string[] = [];
  const error = (keyword: string, at = path) => errors.push(`${at || "/"}: ${keyword}`);
  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type;
    const type = typeOf(value);
    if (!types.includes(type) && !(type === "integer" && types.includes("number")))
      return [`${path || "/"}: type`];
  }
  if (schema.enum && !schema.enum.includes(value as string)) error("enum");
  if (schema.const !== undefined && value !== schema.const) error("const");
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) error("pattern");
    if (schema.minLength !== undefined && value.length < schema.minLength) error("minLength");
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) error("minimum");
    if (schema.maximum !== undefined && value > schema.maximum) error("maximum");
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) error("minItems");
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length)
      error("uniqueItems");
    const items = schema.items;
    if (items) for (const [i, v] of value.entries()) errors.push(...schemaErrors(v, items, `${path}/${i}`));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) error(`required ${key}`);
    for (const [key, inner] of Object.entries(object)) {
      const at = `${path}/${key}`;
      if (schema.propertyNames) errors.push(...schemaErrors(key, schema.propertyNames, `${at} (name)`));
      const sub = schema.properties?.[key];
      if (sub) errors.push(...schemaErrors(inner, sub, at));
      else if (schema.additionalProperties === false) error("additionalProperties", at);
      else if (typeof schema.additionalProperties === "object")
        errors.push(...schemaErrors(inner, schema.additionalProperties, at));
    }
  }
  for (const sub of schema.allOf ?? []) errors.push(...schemaErrors(value, sub, path));
  if (schema.oneOf && schema.oneOf.filter((sub) => schemaErrors(value, sub, path).length === 0).length !== 1)
    error("oneOf");
  if (schema.not && schemaErrors(value, schema.not, path).length === 0) error("not");
  if (schema.if && schema.then && schemaErrors(value, schema.if, path).length === 0)
    errors.push(...schemaErrors(value, schema.then, path));
  return errors;
}

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  // JSON.parse gives no other types.
  return typeof value as "string" | "boolean" | "object";
}
