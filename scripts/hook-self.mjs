// What src/hooks/self.ts is in the CommonJS hook bundle: the script's own file and its require.
export const scriptFile = __filename;
export const builtinRequire = require;
