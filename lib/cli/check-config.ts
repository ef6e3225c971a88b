import { checkServerConfiguration, exitUnlessConfigured } from "@/lib/cli/start-checks";

/**
 * `npm start` runs this before it builds or serves: a configuration the server cannot start with is reported in one
 * line at once, not after a build of a minute or two.
 */
exitUnlessConfigured(checkServerConfiguration);
