#!/usr/bin/env node
// Thin launcher: `npm run build` compiles the CLI to dist/ and bundles it, with its npm
// dependencies, into one file, which starts about twice as fast as loading some 300 modules.
import { main } from "../dist/bundle/recomp.mjs";

process.exitCode = await main(process.argv);
