// Runs the recomp CLI from source in a child process (tests spawn it with tsx).
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv);
