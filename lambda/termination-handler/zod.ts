/**
 * The handler's one zod entry point: `zod/mini` (the functional API; the bundle keeps only the parts
 * used, ~2% of classic zod) with English messages switched on, as classic zod has them by default.
 * Every schema module imports `* as z` from here, so the locale is set before any schema parses,
 * whichever module loads first.
 *
 * Keep this an `export *`: re-exporting the namespace object (`import * as z; export { z }`) makes
 * esbuild keep all of zod, every locale included (~430 KB), because the object escapes.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en()); // "Too small: expected number to be >=1", not a bare "Invalid input"

export * from 'zod/mini';
