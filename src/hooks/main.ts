// Placeholder: the hook runtime (audit + guard) is built in src/hooks.
process.exitCode = 0;
