// engine: operating-system I/O failures (disk full, permission denied, a closed pipe) as one line
// that names the path and the cause: they end a run with exit 3, never with a stack trace.
import { RecompError } from "../util/errors.js";
import { displayPath } from "./paths.js";

const causes: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EFBIG: "file too large for the file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  EPIPE: "the reader closed the pipe",
  EIO: "input/output error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EISDIR: "is a folder",
  EEXIST: "already exists",
  ENOTEMPTY: "folder not empty",
  EBUSY: "busy",
};

const hints: Record<string, string> = {
  ENOSPC: "free some space (or point outputs.work_root elsewhere) and run again; finished stages are reused",
  EDQUOT: "free some space and run again; finished stages are reused",
  EACCES: "check the permissions of the path, or point the output elsewhere",
  EROFS: "point the output at a writable folder",
  EPIPE: "the output was piped into a program that stopped reading (e.g. head); redirect it to a file instead",
};

/** The RecompError for an errno failure, or undefined when `error` is not one. */
export function ioError(error: unknown): RecompError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { code, path, syscall, message } = error as NodeJS.ErrnoException;
  if (typeof code !== "string" || !/^E[A-Z0-9]+$/.test(code) || causes[code] === undefined) return undefined;
  const cause = `${causes[code] ?? message} (${code})`;
  return new RecompError({
    code: "io_error",
    message: path === undefined ? `${syscall ?? "output"}: ${cause}` : cause,
    location: path === undefined ? undefined : { file: path },
    hint: hints[code],
  });
}

/** `path: cause (CODE)` for a stage's notes, the path relative to `baseDir` (no machine path in a manifest). */
export function ioNote(error: unknown, baseDir: string): string | undefined {
  const found = ioError(error);
  if (found === undefined) return undefined;
  return found.location.file === undefined ? found.message : `${displayPath(baseDir, found.location.file)}: ${found.message}`;
}

/** `cause (CODE)`, e.g. "no space left on the device (ENOSPC)", or the error's own message. */
export function ioCause(error: NodeJS.ErrnoException): string {
  const cause = error.code === undefined ? undefined : causes[error.code];
  return cause === undefined ? error.message : `${cause} (${error.code ?? ""})`;
}

/**
 * A write to a stream opened on a file fails with the errno error of `write(2)`, which names no path:
 * the path it was writing is added, so the one line says which file could not be written.
 */
export function withPath<T extends Error>(error: T, path: string): T {
  const errno = error as NodeJS.ErrnoException;
  if (errno.path === undefined && typeof errno.code === "string") errno.path = path;
  return error;
}
