// Injected into the CommonJS hook bundle (where require and __filename exist): the file URL the
// hook's ES module sources read as import.meta.url, to find spine-policy.json beside the script.
export const hookUrl = require('node:url').pathToFileURL(__filename).href;
