#!/usr/bin/env node
import module from 'node:module';

// Node ≥ 22.1 keeps compiled code between runs; on older Node the function does not exist.
module.enableCompileCache?.();
const { main } = await import('../dist/main.js');
main(process.argv.slice(2));
