/**
 * Page parameters kept in the URL, validated and clamped against a schema, so a shared link
 * reproduces an experiment and a hand-edited or stale link can never feed a bad number to training.
 */
import { computed, type ReadonlySignal } from '@preact/signals';
import { replaceParams, route } from '../router.js';

export type ParamSpec =
  | { type: 'number'; default: number; min: number; max: number; integer?: boolean; log?: boolean }
  | { type: 'enum'; default: string; values: readonly string[] }
  | { type: 'boolean'; default: boolean }
  | { type: 'string'; default: string; maxLength: number };

export type Schema = Record<string, ParamSpec>;

/**
 * The values of a schema: numbers, booleans and strings by key. A schema that also has an index
 * signature (a family's parameters, keyed by flag and known only at run time) gives those keys
 * `number | string | boolean`.
 */
export type ValuesOf<S extends Schema> = {
  [K in keyof S]: S[K] extends { type: 'number' }
    ? number
    : S[K] extends { type: 'boolean' }
      ? boolean
      : S[K] extends { type: 'enum' | 'string' }
        ? string
        : number | string | boolean;
};

/** Reads one parameter: missing, malformed or out-of-range values fall back or are clamped. */
export function readParam(spec: ParamSpec, raw: string | null): number | string | boolean {
  if (raw === null) return spec.default;
  switch (spec.type) {
    case 'number': {
      const x = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(x)) return spec.default;
      const clamped = Math.min(spec.max, Math.max(spec.min, x));
      return spec.integer ? Math.round(clamped) : clamped;
    }
    case 'enum':
      return spec.values.includes(raw) ? raw : spec.default;
    case 'boolean':
      return raw === '1' || raw === 'true'
        ? true
        : raw === '0' || raw === 'false'
          ? false
          : spec.default;
    case 'string':
      return raw.slice(0, spec.maxLength);
  }
}

export function readParams<S extends Schema>(schema: S, params: URLSearchParams): ValuesOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) out[key] = readParam(spec, params.get(key));
  return out as ValuesOf<S>;
}

/** Only non-default values go into the URL, so links stay short. */
export function writeParams<S extends Schema>(schema: S, values: ValuesOf<S>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, spec] of Object.entries(schema)) {
    const value = (values as Record<string, unknown>)[key];
    if (value === spec.default) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  return params;
}

export interface UrlState<S extends Schema> {
  /**
   * The current, validated values, read from the URL: they follow the URL when the learner edits
   * it or pastes a link to the same page (no reload happens on a hash change). Change them with
   * `set` or `reset`, never by assignment.
   */
  values: ReadonlySignal<ValuesOf<S>>;
  /** Sets some values (validated through the schema) and writes them to the URL. */
  set(patch: Partial<ValuesOf<S>>): void;
  /** Back to the defaults ("reset to defaults"). */
  reset(): void;
}

/** Binds a schema to the current route's query. Call once per page mount. */
export function createUrlState<S extends Schema>(schema: S): UrlState<S> {
  const page = route.value.page;
  let last = readParams(schema, route.value.params);
  // A computed, not a copy: a pasted link or a hand-edited hash on the same page updates the
  // values. While navigating away (the route names another page) it keeps the last values, and it
  // keeps the same object while nothing changed, so effects on `values` don't re-run needlessly.
  const values = computed(() => {
    const current = route.value;
    if (current.page !== page) return last;
    const next = readParams(schema, current.params);
    if (!sameValues(schema, next, last)) last = next;
    return last;
  });
  const commit = (next: ValuesOf<S>) => {
    // A late call (a worker message after the learner left) must not write into another page's URL.
    if (route.value.page === page) replaceParams(writeParams(schema, next));
  };
  return {
    values,
    set(patch) {
      const merged = { ...values.value, ...patch } as Record<string, unknown>;
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(merged)) {
        if (!(key in schema)) continue;
        params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
      }
      commit(readParams(schema, params));
    },
    reset() {
      commit(readParams(schema, new URLSearchParams()));
    },
  };
}

function sameValues<S extends Schema>(schema: S, a: ValuesOf<S>, b: ValuesOf<S>): boolean {
  return Object.keys(schema).every(
    (key) => (a as Record<string, unknown>)[key] === (b as Record<string, unknown>)[key],
  );
}
