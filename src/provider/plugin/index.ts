export { createLogger, type Logger, type LogFields } from "./logger";
export { type ServeOptions, servePlugin } from "./server";
