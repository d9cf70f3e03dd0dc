export { createLogger, type LogFields, type Logger } from "./logger";
export { type ServeOptions, servePlugin } from "./server";
