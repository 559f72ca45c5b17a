/**
 * `createUrlState` once per page mount, with its schema kept alongside so the form fields can read
 * each parameter's range (`min`, `max`, `integer`, enum values) from the same place that
 * validates the URL.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { route } from '../router.js';
import { movedParams } from '../state/family-params.js';
import { createUrlState, readParams, type Schema, type UrlState } from '../state/url-state.js';

/** A page's URL state and the schema it validates against. */
export interface PageState<S extends Schema> extends UrlState<S> {
  readonly schema: S;
}

/** The keys written out in `S` (not an index signature's). */
type KnownKeys<S> = keyof {
  [K in keyof S as string extends K ? never : number extends K ? never : K]: S[K];
};

/** The keys of `S` whose parameters are numbers. */
export type NumberKey<S extends Schema> = {
  [K in KnownKeys<S>]: S[K] extends { type: 'number' } ? K : never;
}[KnownKeys<S>] &
  string;

/** The keys of `S` whose parameters are enums. */
export type EnumKey<S extends Schema> = {
  [K in KnownKeys<S>]: S[K] extends { type: 'enum' } ? K : never;
}[KnownKeys<S>] &
  string;

/**
 * Binds `schema` to the current route's query for the life of the component (pass a module-level
 * constant: a new schema object would bind again).
 *
 * @example
 * ```tsx
 * const schema = { lr: { type: 'number', default: 0.1, min: 1e-5, max: 10 } } as const;
 * function Page() {
 *   const state = useUrlState(schema);
 *   return <NumberField state={state} name="lr" label="learning rate" />;
 * }
 * ```
 */
export function useUrlState<S extends Schema>(schema: S): PageState<S> {
  return useMemo(() => ({ ...createUrlState(schema), schema }), [schema]);
}

/**
 * Applies an older link's keys once, on mount (`moved`: old key → today's key, see
 * `movedParams`), so links shared before a page's keys changed keep their settings.
 *
 * @example
 * ```tsx
 * useMovedParams(state, { fix: 'last-layer-fix' }); // #/vitals?fix=false → last-layer-fix=false
 * ```
 */
export function useMovedParams<S extends Schema>(
  state: PageState<S>,
  moved: Readonly<Record<string, string>>,
): void {
  useEffect(() => {
    const params = route.value.params;
    const values = movedParams(params, moved);
    if (values) {
      state.set(
        readParams(state.schema, new URLSearchParams({ ...Object.fromEntries(params), ...values })),
      );
    }
  }, []);
}
