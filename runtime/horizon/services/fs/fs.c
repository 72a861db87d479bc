/*
 * runtime/horizon/services/fs: "fsp-srv" (IFileSystemProxy) with the SD card as a host folder
 * (RECOMP_SDMC_DIR). Paths are resolved lexically inside that folder ("." and ".." never leave
 * it); directory listings are sorted by name so a run does not depend on the host file system's
 * order. Files and directories can be created, written, resized, renamed and deleted inside the
 * folder. The title's own NRO (RECOMP_SELF_NRO, a host file) appears read-only at the path the
 * loader's Argv names, because libnx's romfsMountSelf reads the RomFS out of it.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/loader.h"
#include "memory.h"
#include "services/registry.h"

#define FS_PATH_SIZE 0x301u
#define FS_RESULT_PATH_NOT_FOUND HOS_MAKE_RESULT(2, 1)
#define FS_RESULT_SD_CARD_NOT_PRESENT HOS_MAKE_RESULT(2, 2001)
#define FS_RESULT_PATH_ALREADY_EXISTS HOS_MAKE_RESULT(2, 2)
#define FS_RESULT_OUT_OF_RANGE HOS_MAKE_RESULT(2, 3005)
#define FS_RESULT_PERMISSION_DENIED HOS_MAKE_RESULT(2, 6400)
#define FS_RESULT_DIRECTORY_NOT_EMPTY HOS_MAKE_RESULT(2, 8)
/* OpenFile modes (FsOpenMode): read 1, write 2, append 4. */
#define FS_OPEN_WRITE 2u
#define FS_OPEN_APPEND 4u
/* The self NRO's path inside the SD card: Argv without "sdmc:". */
#define FS_SELF_PATH (HOS_LOADER_ARGV + 5)
#define FS_DIRECTORY_ENTRY_SIZE 0x310u /* FsDirectoryEntry: name[0x301], pad, type at 0x304, size at 0x308 */

typedef struct fs_node {
  char host_path[4096];
  int fd;             /* files */
  uint32_t mode;      /* files: FsOpenMode */
  uint64_t position;  /* directories: entries already read */
} fs_node;

/*
 * The host path of the guest path in X buffer `index`, or -1 when it is not a path inside the SD
 * card. *read_only is set for the title's own NRO, which maps to RECOMP_SELF_NRO.
 */
static int resolve_at(const hos_request *request, uint32_t index, char out[4096], int *read_only) {
  const char *root = getenv("RECOMP_SDMC_DIR");
  hos_guest_buffer buffer = hos_pointer_in(request, index);
  if (read_only != NULL) *read_only = 0;
  if (root == NULL || buffer.size == 0) return -1;
  uint64_t size = buffer.size < FS_PATH_SIZE ? buffer.size : FS_PATH_SIZE;
  const char *path = (const char *)hos_guest(request, (hos_guest_buffer){buffer.address, size}, RT_READ);
  char relative[FS_PATH_SIZE + 1] = "";
  size_t length = 0;
  for (uint64_t at = 0; at < size && path[at] != 0;) {
    while (at < size && path[at] == '/') at++;
    uint64_t start = at;
    while (at < size && path[at] != 0 && path[at] != '/') at++;
    size_t part = (size_t)(at - start);
    if (part == 0 || (part == 1 && path[start] == '.')) continue;
    if (part == 2 && path[start] == '.' && path[start + 1] == '.') {
      if (length == 0) return -1; /* above the root */
      while (length > 0 && relative[length - 1] != '/') length--;
      if (length > 0) length--;
      relative[length] = 0;
      continue;
    }
    if (length + 1 + part > FS_PATH_SIZE) return -1;
    relative[length++] = '/';
    memcpy(relative + length, path + start, part);
    length += part;
    relative[length] = 0;
  }
  const char *self = getenv("RECOMP_SELF_NRO");
  if (self != NULL && strcmp(relative, FS_SELF_PATH) == 0) {
    if (read_only != NULL) *read_only = 1;
    return snprintf(out, 4096, "%s", self) < 4096 ? 0 : -1;
  }
  return snprintf(out, 4096, "%s%s", root, relative) < 4096 ? 0 : -1;
}

static int resolve(const hos_request *request, char out[4096]) { return resolve_at(request, 0, out, NULL); }

static hos_result read_file(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  int64_t offset = (int64_t)hos_in_u64(request, 8);
  uint64_t size = hos_in_u64(request, 16);
  hos_guest_buffer out = hos_buffer_out(request, 0);
  if (offset < 0 || size > out.size) return FS_RESULT_OUT_OF_RANGE;
  uint8_t *bytes = hos_guest(request, (hos_guest_buffer){out.address, size}, RT_WRITE);
  uint64_t done = 0;
  while (done < size) {
    ssize_t got = pread(node->fd, bytes + done, (size_t)(size - done), (off_t)(offset + (int64_t)done));
    if (got <= 0) break;
    done += (uint64_t)got;
  }
  hos_out_u64(request, done);
  return HOS_SUCCESS;
}

static hos_result get_file_size(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  struct stat info;
  if (fstat(node->fd, &info) != 0) return FS_RESULT_PATH_NOT_FOUND;
  hos_out_u64(request, (uint64_t)info.st_size);
  return HOS_SUCCESS;
}

/* Write (1): {u32 option, pad, s64 offset, u64 size} and the bytes in an A buffer; needs write mode (append extends). */
static hos_result write_file(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  int64_t offset = (int64_t)hos_in_u64(request, 8);
  uint64_t size = hos_in_u64(request, 16);
  hos_guest_buffer in = hos_buffer_in(request, 0);
  if (!(node->mode & FS_OPEN_WRITE)) return FS_RESULT_PERMISSION_DENIED;
  if (offset < 0 || size > in.size) return FS_RESULT_OUT_OF_RANGE;
  struct stat info;
  if (!(node->mode & FS_OPEN_APPEND) && (fstat(node->fd, &info) != 0 || (uint64_t)offset + size > (uint64_t)info.st_size)) {
    return FS_RESULT_OUT_OF_RANGE; /* without append, a write stays inside the file */
  }
  const uint8_t *bytes = hos_guest(request, (hos_guest_buffer){in.address, size}, RT_READ);
  for (uint64_t done = 0; done < size;) {
    ssize_t put = pwrite(node->fd, bytes + done, (size_t)(size - done), (off_t)(offset + (int64_t)done));
    if (put <= 0) return FS_RESULT_OUT_OF_RANGE;
    done += (uint64_t)put;
  }
  return HOS_SUCCESS;
}

static hos_result flush_file(hos_object *self, hos_request *request) {
  (void)request;
  fs_node *node = self->state;
  return !(node->mode & FS_OPEN_WRITE) || fsync(node->fd) == 0 ? HOS_SUCCESS : FS_RESULT_PERMISSION_DENIED;
}

/* SetSize (3): s64 size; needs write mode. */
static hos_result set_file_size(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  int64_t size = (int64_t)hos_in_u64(request, 0);
  if (!(node->mode & FS_OPEN_WRITE)) return FS_RESULT_PERMISSION_DENIED;
  if (size < 0 || ftruncate(node->fd, (off_t)size) != 0) return FS_RESULT_OUT_OF_RANGE;
  return HOS_SUCCESS;
}

HOS_INTERFACE(file, "IFile", {0, read_file}, {1, write_file}, {2, flush_file}, {3, set_file_size}, {4, get_file_size});

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }
static int not_dot(const struct dirent *entry) { return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0; }

/* IDirectory Read (0): FsDirectoryEntry records into the B buffer, continuing where the last read ended. */
static hos_result read_directory(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  struct dirent **entries;
  int count = scandir(node->host_path, &entries, not_dot, by_name);
  if (count < 0) return FS_RESULT_PATH_NOT_FOUND;
  hos_guest_buffer out = hos_buffer_out(request, 0);
  uint8_t *records = hos_guest(request, out, RT_WRITE);
  uint64_t written = 0;
  for (int i = 0; i < count; i++) {
    if ((uint64_t)i >= node->position && (written + 1) * FS_DIRECTORY_ENTRY_SIZE <= out.size) {
      char path[4096 + 256];
      struct stat info;
      snprintf(path, sizeof path, "%s/%s", node->host_path, entries[i]->d_name);
      uint8_t *record = records + written++ * FS_DIRECTORY_ENTRY_SIZE;
      memset(record, 0, FS_DIRECTORY_ENTRY_SIZE);
      strncpy((char *)record, entries[i]->d_name, FS_PATH_SIZE - 1);
      int is_file = stat(path, &info) == 0 && S_ISREG(info.st_mode);
      record[0x304] = (uint8_t)is_file;
      for (int b = 0; b < 8 && is_file; b++) record[0x308 + b] = (uint8_t)((uint64_t)info.st_size >> (8 * b));
    }
    free(entries[i]);
  }
  free(entries);
  node->position += written;
  hos_out_u64(request, written);
  return HOS_SUCCESS;
}

static hos_result get_entry_count(hos_object *self, hos_request *request) {
  fs_node *node = self->state;
  struct dirent **entries;
  int count = scandir(node->host_path, &entries, not_dot, by_name);
  if (count < 0) return FS_RESULT_PATH_NOT_FOUND;
  for (int i = 0; i < count; i++) free(entries[i]);
  free(entries);
  hos_out_u64(request, (uint64_t)count);
  return HOS_SUCCESS;
}

HOS_INTERFACE(directory, "IDirectory", {0, read_directory}, {1, get_entry_count});

static fs_node *new_node(const char *host_path, int fd) {
  fs_node *node = calloc(1, sizeof *node);
  if (node == NULL) return NULL;
  snprintf(node->host_path, sizeof node->host_path, "%s", host_path);
  node->fd = fd;
  return node;
}

/* GetEntryType (7): u32 0 directory, 1 file. */
static hos_result get_entry_type(hos_object *self, hos_request *request) {
  (void)self;
  char path[4096];
  struct stat info;
  if (resolve(request, path) != 0 || stat(path, &info) != 0 || !(S_ISREG(info.st_mode) || S_ISDIR(info.st_mode))) return FS_RESULT_PATH_NOT_FOUND;
  hos_out_u32(request, S_ISREG(info.st_mode) ? 1 : 0);
  return HOS_SUCCESS;
}

/* OpenFile (8, u32 FsOpenMode): the host folder's file; the self NRO only for reading. */
static hos_result open_file(hos_object *self, hos_request *request) {
  char path[4096];
  struct stat info;
  int read_only;
  uint32_t mode = hos_in_u32(request, 0);
  if (resolve_at(request, 0, path, &read_only) != 0 || stat(path, &info) != 0 || !S_ISREG(info.st_mode)) return FS_RESULT_PATH_NOT_FOUND;
  if (read_only && (mode & FS_OPEN_WRITE)) return FS_RESULT_PERMISSION_DENIED;
  int fd = open(path, ((mode & FS_OPEN_WRITE) ? O_RDWR : O_RDONLY) | O_CLOEXEC);
  fs_node *node = fd < 0 ? NULL : new_node(path, fd);
  if (node == NULL) return FS_RESULT_PATH_NOT_FOUND;
  node->mode = mode;
  hos_out_object(request, hos_object_create(&file, self->service, 0, node));
  return HOS_SUCCESS;
}

static hos_result open_directory(hos_object *self, hos_request *request) {
  char path[4096];
  struct stat info;
  if (resolve(request, path) != 0 || stat(path, &info) != 0 || !S_ISDIR(info.st_mode)) return FS_RESULT_PATH_NOT_FOUND;
  fs_node *node = new_node(path, -1);
  if (node == NULL) return FS_RESULT_PATH_NOT_FOUND;
  hos_out_object(request, hos_object_create(&directory, self->service, 0, node));
  return HOS_SUCCESS;
}

/* A path for a new entry: inside the folder, not the self NRO, and not there yet. */
static hos_result new_path(const hos_request *request, uint32_t index, char path[4096]) {
  int read_only;
  struct stat info;
  if (resolve_at(request, index, path, &read_only) != 0) return FS_RESULT_PATH_NOT_FOUND;
  if (read_only) return FS_RESULT_PERMISSION_DENIED;
  return lstat(path, &info) == 0 ? FS_RESULT_PATH_ALREADY_EXISTS : HOS_SUCCESS;
}

/* A path to an existing entry that may change (not the self NRO). */
static hos_result existing_path(const hos_request *request, uint32_t index, char path[4096], int directory) {
  int read_only;
  struct stat info;
  if (resolve_at(request, index, path, &read_only) != 0 || lstat(path, &info) != 0) return FS_RESULT_PATH_NOT_FOUND;
  if (read_only) return FS_RESULT_PERMISSION_DENIED;
  return (directory ? S_ISDIR(info.st_mode) : S_ISREG(info.st_mode)) ? HOS_SUCCESS : FS_RESULT_PATH_NOT_FOUND;
}

/* CreateFile (0): {u32 option, u64 size} and the path. */
static hos_result create_file(hos_object *self, hos_request *request) {
  (void)self;
  char path[4096];
  hos_result result = new_path(request, 0, path);
  if (result != HOS_SUCCESS) return result;
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return FS_RESULT_PATH_NOT_FOUND;
  int sized = ftruncate(fd, (off_t)hos_in_u64(request, 8)) == 0;
  close(fd);
  return sized ? HOS_SUCCESS : FS_RESULT_OUT_OF_RANGE;
}

static hos_result delete_file(hos_object *self, hos_request *request) {
  (void)self;
  char path[4096];
  hos_result result = existing_path(request, 0, path, 0);
  if (result != HOS_SUCCESS) return result;
  return unlink(path) == 0 ? HOS_SUCCESS : FS_RESULT_PATH_NOT_FOUND;
}

static hos_result create_directory(hos_object *self, hos_request *request) {
  (void)self;
  char path[4096];
  hos_result result = new_path(request, 0, path);
  if (result != HOS_SUCCESS) return result;
  return mkdir(path, 0755) == 0 ? HOS_SUCCESS : FS_RESULT_PATH_NOT_FOUND;
}

/* DeleteDirectory (3): only an empty one. */
static hos_result delete_directory(hos_object *self, hos_request *request) {
  (void)self;
  char path[4096];
  hos_result result = existing_path(request, 0, path, 1);
  if (result != HOS_SUCCESS) return result;
  return rmdir(path) == 0 ? HOS_SUCCESS : FS_RESULT_DIRECTORY_NOT_EMPTY;
}

/* RenameFile (5) and RenameDirectory (6): the current path in X 0, the new one in X 1. */
static hos_result rename_entry(hos_request *request, int directory) {
  char from[4096], to[4096];
  hos_result result = existing_path(request, 0, from, directory);
  if (result == HOS_SUCCESS) result = new_path(request, 1, to);
  if (result != HOS_SUCCESS) return result;
  return rename(from, to) == 0 ? HOS_SUCCESS : FS_RESULT_PATH_NOT_FOUND;
}
static hos_result rename_file(hos_object *self, hos_request *request) {
  (void)self;
  return rename_entry(request, 0);
}
static hos_result rename_directory(hos_object *self, hos_request *request) {
  (void)self;
  return rename_entry(request, 1);
}

/* Commit (10): writes reach the host folder at once; nothing is pending. */
static hos_result commit(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

HOS_INTERFACE(file_system, "IFileSystem", {0, create_file}, {1, delete_file}, {2, create_directory}, {3, delete_directory},
              {5, rename_file}, {6, rename_directory}, {7, get_entry_type}, {8, open_file}, {9, open_directory}, {10, commit});

static hos_result set_current_process(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

/*
 * OpenSdCardFileSystem (18): SdCardNotPresent when no folder is given (RECOMP_SDMC_DIR). A folder
 * that does not exist yet is created empty (its parent must exist), so a loop's run command can
 * name one inside its fresh run folder.
 */
static hos_result open_sd_card_file_system(hos_object *self, hos_request *request) {
  const char *root = getenv("RECOMP_SDMC_DIR");
  if (root == NULL) return FS_RESULT_SD_CARD_NOT_PRESENT;
  if (mkdir(root, 0755) != 0 && errno != EEXIST) {
    char problem[4200];
    snprintf(problem, sizeof problem, "cannot create the SD card folder RECOMP_SDMC_DIR=%s (%s); create its parent folder", root, strerror(errno));
    hos_request_fault(request, problem);
  }
  hos_out_object(request, hos_object_create(&file_system, self->service, 0, NULL));
  return HOS_SUCCESS;
}

HOS_INTERFACE(file_system_proxy, "IFileSystemProxy", {1, set_current_process}, {18, open_sd_card_file_system});

hos_object *hos_fs_open(const char *name) { return hos_object_create(&file_system_proxy, name, 0x800, NULL); }
