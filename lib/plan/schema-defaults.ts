import { z } from 'zod';

// The defaults live once, in the schema's `.default(...)` calls; forms and new plans read them from there so that
// changing one there changes it everywhere.

type DefaultOf<T> = T extends z.ZodDefault
  ? z.output<T>
  : T extends z.ZodObject<infer Shape>
    ? [keyof SchemaDefaults<Shape>] extends [never]
      ? never
      : SchemaDefaults<Shape>
    : never;

/** What `schemaDefaults` returns, as far as the types can tell: the keys declared with `.default(...)`. */
export type SchemaDefaults<Shape extends z.core.$ZodShape> = {
  [K in keyof Shape as [DefaultOf<Shape[K]>] extends [never] ? never : K]: DefaultOf<Shape[K]>;
};

/**
 * The value each key of an object schema takes when it is left out, where it takes one: what parsing `undefined`
 * gives (zod applies `.default(...)` there), and for a nested object without a default of its own, its keys' defaults.
 * Keys that are required, or optional with no default, are absent.
 */
export function schemaDefaults<Shape extends z.core.$ZodShape>(
  schema: z.ZodObject<Shape, z.core.$ZodObjectConfig>,
): SchemaDefaults<Shape> {
  const defaults: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(schema.shape)) {
    const left = z.safeParse(child, undefined);
    if (left.success && left.data !== undefined) {
      defaults[key] = left.data;
    } else if (child instanceof z.ZodObject) {
      const nested = schemaDefaults(child);
      if (Object.keys(nested).length > 0) defaults[key] = nested;
    }
  }
  return defaults as SchemaDefaults<Shape>;
}
