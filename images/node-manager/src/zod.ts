/**
 * The daemon's one zod entry point: `zod/mini` (the functional API; the bundle keeps only the parts
 * used) with English messages switched on, as classic zod has them by default. Classic zod cost the
 * daemon ~9 MiB of resident memory for all its locales and methods. Every schema module imports
 * `* as z` from here, so the locale is set before any schema parses, whichever module loads first.
 *
 * Keep this an `export *`: re-exporting the namespace object (`import * as z; export { z }`) makes
 * esbuild keep all of zod, every locale included, because the object escapes.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en()); // "Too big: expected string to have <=253 characters", not a bare "Invalid input"

export * from 'zod/mini';
