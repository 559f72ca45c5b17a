import type { ComponentType } from 'preact';
import { useEffect, useErrorBoundary, useRef, useState } from 'preact/hooks';
import { findPage, type PageDef, pages } from './pages/registry.js';
import { formatHash, route } from './router.js';

const siteName = 'llm-playground';

/** The document title for a page id (`undefined`: no such page). */
export function documentTitle(def: PageDef | undefined): string {
  if (!def) return `Page not found · ${siteName}`;
  return def.id
    ? `${def.title} · ${siteName}`
    : `${siteName}: language models from first principles`;
}

type Loaded =
  | { state: 'loading'; id: string }
  | { state: 'ready'; id: string; Component: ComponentType }
  | { state: 'error'; id: string; message: string };

/**
 * The shell: a skip link, navigation along the learning path, and the current page (its chunk
 * loaded on demand). `<main data-state>` is `loading`, `ready` or `error`; the e2e harness waits
 * for it. On navigation to another page, focus moves to `<main>` so keyboard and screen-reader
 * users start at the new content instead of the top of the navigation.
 */
export function App() {
  const { page } = route.value;
  const def = findPage(page);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading', id: page });
  const main = useRef<HTMLElement>(null);
  const previousPage = useRef<string | null>(null);

  useEffect(() => {
    document.title = documentTitle(def);
    if (previousPage.current !== null && previousPage.current !== page) {
      main.current?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    previousPage.current = page;
    if (!def) return;
    let cancelled = false;
    setLoaded({ state: 'loading', id: def.id });
    def.load().then(
      (module) => {
        if (!cancelled) setLoaded({ state: 'ready', id: def.id, Component: module.default });
      },
      (error: unknown) => {
        if (!cancelled) setLoaded({ state: 'error', id: def.id, message: String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [def, page]);

  // Only the chunk of *this* page may render: right after a navigation `loaded` still holds the
  // previous page's component for one render.
  const current = def && loaded.id === def.id ? loaded : ({ state: 'loading' } as const);
  const mainState = def ? current.state : 'ready';

  return (
    <div class="shell">
      <button
        type="button"
        class="skip-link"
        onClick={() => {
          // A button, not `<a href="#main">`: that hash would be read as a route.
          main.current?.focus();
        }}
      >
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href="#/" aria-current={page === '' ? 'page' : undefined}>
          llm-playground
        </a>
        <nav aria-label="Pages">
          <ol>
            {pages
              .filter((p) => p.id)
              .map((p) => (
                <li key={p.id}>
                  <a href={formatHash(p.id)} aria-current={p.id === page ? 'page' : undefined}>
                    {p.title}
                  </a>
                </li>
              ))}
          </ol>
        </nav>
      </header>
      <main
        ref={main}
        id="main"
        tabIndex={-1}
        data-state={mainState}
        data-page={def ? def.id : undefined}
      >
        {def ? (
          <>
            {def.id ? <h1>{def.title}</h1> : null}
            {current.state === 'ready' ? (
              <PageBoundary key={def.id} Component={current.Component} />
            ) : current.state === 'error' ? (
              <p class="alert" role="alert">
                This page could not be loaded ({current.message}). Reload to try again.
              </p>
            ) : (
              <p class="muted" aria-busy="true">
                Loading…
              </p>
            )}
          </>
        ) : (
          <div class="alert" role="alert">
            <p>
              There is no page “{page}”. <a href="#/">Go to the learning path.</a>
            </p>
          </div>
        )}
      </main>
      <footer class="bottom muted">
        Everything runs in your browser, offline. Seeded runs repeat exactly in the same browser;
        another JavaScript engine may differ in the last digits (its <code>Math.exp</code> and{' '}
        <code>Math.tanh</code> round differently).
      </footer>
    </div>
  );
}

/** Catches a page's render errors so one broken page never blanks the whole app. */
function PageBoundary({ Component }: { Component: ComponentType }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <div class="alert" role="alert">
        <p>Something went wrong on this page: {String((error as Error).message ?? error)}</p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </div>
    );
  }
  return <Component />;
}
