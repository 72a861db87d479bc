/*
 * runtime/horizon/services/fs: "fsp-srv" (IFileSystemProxy) with the SD card as a host folder
 * (RECOMP_SDMC_DIR). Paths are resolved lexically inside that folder ("." and ".." never leave
 * it); directory listings are sorted by name so a run does not depend on the host file system's
 * order. This first part serves what libnx's start-up and reads need: opening directories and
 * files, entry types, file reads and sizes, directory listings.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memory.h"
#include "services/registry.h"

#define FS_PATH_SIZE 0x301u
#define FS_RESULT_PATH_NOT_FOUND HOS_MAKE_RESULT(2, 1)
#define FS_RESULT_SD_CARD_NOT_PRESENT HOS_MAKE_RESULT(2, 2001)
#define FS_RESULT_OUT_OF_RANGE HOS_MAKE_RESULT(2, 3005)
#define FS_DIRECTORY_ENTRY_SIZE 0x310u /* FsDirectoryEntry: name[0x301], pad, type at 0x304, size at 0x308 */

typedef struct fs_node {
  char host_path[4096];
  int fd;             /* files */
  uint64_t position;  /* directories: entries already read */
} fs_node;

/* The host path of a guest path read from the X buffer, or -1 when it is not a path inside the SD card. */
static int resolve(const hos_request *request, char out[4096]) {
  const char *root = getenv("RECOMP_SDMC_DIR");
  hos_guest_buffer buffer = hos_pointer_in(request, 0);
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
  return snprintf(out, 4096, "%s%s", root, relative) < 4096 ? 0 : -1;
}

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

HOS_INTERFACE(file, "IFile", {0, read_file}, {4, get_file_size});

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

/* OpenFile (8, mode u32): read access; the files are the host folder's. */
static hos_result open_file(hos_object *self, hos_request *request) {
  char path[4096];
  struct stat info;
  if (resolve(request, path) != 0 || stat(path, &info) != 0 || !S_ISREG(info.st_mode)) return FS_RESULT_PATH_NOT_FOUND;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  fs_node *node = fd < 0 ? NULL : new_node(path, fd);
  if (node == NULL) return FS_RESULT_PATH_NOT_FOUND;
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

HOS_INTERFACE(file_system, "IFileSystem", {7, get_entry_type}, {8, open_file}, {9, open_directory});

static hos_result set_current_process(hos_object *self, hos_request *request) {
  (void)self;
  (void)request;
  return HOS_SUCCESS;
}

/* OpenSdCardFileSystem (18): SdCardNotPresent when no folder is given (RECOMP_SDMC_DIR). */
static hos_result open_sd_card_file_system(hos_object *self, hos_request *request) {
  if (getenv("RECOMP_SDMC_DIR") == NULL) return FS_RESULT_SD_CARD_NOT_PRESENT;
  hos_out_object(request, hos_object_create(&file_system, self->service, 0, NULL));
  return HOS_SUCCESS;
}

HOS_INTERFACE(file_system_proxy, "IFileSystemProxy", {1, set_current_process}, {18, open_sd_card_file_system});

hos_object *hos_fs_open(const char *name) { return hos_object_create(&file_system_proxy, name, 0x800, NULL); }
