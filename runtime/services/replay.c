/* runtime/services: the replay file (`recomp-replay 1`, docs/runtime-services.md) and applying its events. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define LINE_MAX_BYTES 512
#define AXIS_LIMIT 32767

typedef struct line_reader {
  const char *path;
  unsigned line;
} line_reader;

static int fail(const line_reader *at, const char *message, const char *detail) {
  fprintf(stderr, "recomp runtime: %s:%u: %s%s (regenerate it with `recomp replay convert`)\n", at->path, at->line,
          message, detail);
  return RECOMP_EXIT_BAD_INPUT;
}

static int parse_u64(const char **cursor, uint64_t *out) {
  const char *text = *cursor;
  if (*text < '0' || *text > '9') return -1;
  char *end = NULL;
  errno = 0;
  unsigned long long value = strtoull(text, &end, 10);
  if (errno != 0 || *end != ' ') return -1;
  *out = value;
  *cursor = end + 1;
  return 0;
}

static int parse_i32(const char **cursor, int32_t *out) {
  const char *text = *cursor;
  if (*text != '-' && (*text < '0' || *text > '9')) return -1;
  char *end = NULL;
  errno = 0;
  long value = strtol(text, &end, 10);
  if (errno != 0 || *end != ' ' || value < INT32_MIN || value > INT32_MAX) return -1;
  *out = (int32_t)value;
  *cursor = end + 1;
  return 0;
}

/* A JSON string literal of printable ASCII, the rest of the line. */
static int parse_name(const char *text, char *out, size_t capacity) {
  size_t length = strlen(text);
  if (length < 2 || length >= capacity || text[0] != '"' || text[length - 1] != '"') return -1;
  for (size_t i = 0; i < length; i++) {
    if ((unsigned char)text[i] < 0x20 || (unsigned char)text[i] > 0x7e) return -1;
  }
  memcpy(out, text, length + 1);
  return 0;
}

static int is_axis(uint32_t code) { return code >= 256 && code <= 259; }

static int parse_entry(const line_reader *at, const char *text, replay_entry *entry) {
  memset(entry, 0, sizeof *entry);
  const char *cursor;
  if (strncmp(text, "event ", 6) == 0) {
    cursor = text + 6;
    uint64_t code = 0;
    if (parse_u64(&cursor, &entry->frame) != 0) return fail(at, "bad frame number", "");
    if (parse_u64(&cursor, &code) != 0 || !(code <= 15 || is_axis((uint32_t)code))) return fail(at, "bad control code", "");
    entry->code = (uint32_t)code;
    if (parse_i32(&cursor, &entry->value) != 0) return fail(at, "bad value", "");
    int in_range = is_axis(entry->code) ? entry->value >= -AXIS_LIMIT && entry->value <= AXIS_LIMIT
                                        : entry->value == 0 || entry->value == 1;
    if (!in_range) return fail(at, "value out of range for the control", "");
  } else if (strncmp(text, "marker ", 7) == 0) {
    cursor = text + 7;
    entry->is_marker = 1;
    if (parse_u64(&cursor, &entry->frame) != 0) return fail(at, "bad frame number", "");
  } else {
    return fail(at, "expected `event` or `marker`, found: ", text);
  }
  if (parse_name(cursor, entry->name, sizeof entry->name) != 0) return fail(at, "bad name (a quoted printable-ASCII string)", "");
  return 0;
}

static int check_order(const line_reader *at, const replay_entry *previous, const replay_entry *entry) {
  if (previous == NULL) return 0;
  if (entry->frame < previous->frame) return fail(at, "lines are not sorted by frame", "");
  if (entry->frame == previous->frame && previous->is_marker && !entry->is_marker) {
    return fail(at, "an event follows a marker of the same frame", "");
  }
  return 0;
}

static int push(replay_script *script, size_t *capacity, const replay_entry *entry) {
  if (script->count == *capacity) {
    size_t grown = *capacity == 0 ? 64 : *capacity * 2;
    replay_entry *entries = realloc(script->entries, grown * sizeof *entries);
    if (entries == NULL) return -1;
    script->entries = entries;
    *capacity = grown;
  }
  script->entries[script->count++] = *entry;
  return 0;
}

static int read_lines(FILE *file, line_reader *at, replay_script *out) {
  char buffer[LINE_MAX_BYTES];
  size_t capacity = 0;
  while (fgets(buffer, sizeof buffer, file) != NULL) {
    at->line++;
    size_t length = strlen(buffer);
    if (length == 0 || buffer[length - 1] != '\n') return fail(at, "line too long or not ended by a newline", "");
    buffer[length - 1] = '\0';
    if (at->line == 1) {
      if (strcmp(buffer, "recomp-replay 1") != 0) return fail(at, "not a replay file: the first line must be `recomp-replay 1`", "");
      continue;
    }
    replay_entry entry;
    int status = parse_entry(at, buffer, &entry);
    if (status == 0) status = check_order(at, out->count == 0 ? NULL : &out->entries[out->count - 1], &entry);
    if (status != 0) return status;
    if (push(out, &capacity, &entry) != 0) return fail(at, "out of memory", "");
  }
  if (ferror(file)) return fail(at, "read error", "");
  if (at->line == 0) return fail(at, "empty file", "");
  return 0;
}

int replay_load(const char *path, replay_script *out) {
  memset(out, 0, sizeof *out);
  line_reader at = {path, 0};
  FILE *file = fopen(path, "r");
  if (file == NULL) {
    fprintf(stderr, "recomp runtime: %s: cannot open the replay file: %s\n", path, strerror(errno));
    return RECOMP_EXIT_BAD_INPUT;
  }
  int status = read_lines(file, &at, out);
  fclose(file);
  if (status != 0) replay_free(out);
  return status;
}

void replay_free(replay_script *script) {
  free(script->entries);
  script->entries = NULL;
  script->count = 0;
}

void replay_apply(const replay_entry *entry, recomp_input_state *state) {
  if (entry->is_marker) return;
  switch (entry->code) {
    case 256: state->stick_l_x = entry->value; break;
    case 257: state->stick_l_y = entry->value; break;
    case 258: state->stick_r_x = entry->value; break;
    case 259: state->stick_r_y = entry->value; break;
    default:
      if (entry->value != 0) state->buttons |= (uint64_t)1 << entry->code;
      else state->buttons &= ~((uint64_t)1 << entry->code);
      break;
  }
}
