/*
 * The SD card part of the horizon test driver (HZ_PART=fs): fsp-srv's writes as libnx's fs.c
 * sends them (paths in X descriptors, file data in A/B buffers, in a domain), and the title's
 * own NRO (RECOMP_SELF_NRO) read-only at the Argv path. The test checks the host folder after.
 */
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "display-driver.h"

#define DATA 0x2000050000ull

static uint32_t file_io(uint32_t fs, uint32_t object, uint32_t command, uint64_t offset, uint64_t size, int write) {
  struct {
    uint32_t option, pad;
    uint64_t offset, size;
  } in = {0, 0, offset, size};
  header(4, 0, write ? 1 : 0, write ? 0 : 1, 0, data_words(24, 1, 0), 0, 0, 0, NULL);
  buffer_descriptor(DATA, size, write ? 0 : 1);
  domain_header(1, object, 16 + 24, 0);
  w(0x49434653), w(0), w(command), w(0);
  memcpy(tls + at, &in, 24);
  return send(fs);
}

void fs_part(uint32_t sm) {
  uint32_t fs = get_service(sm, "fsp-srv"), write_append = 2 | 4, read = 1, read_write = 3;
  show("fsp-srv ConvertCurrentObjectToDomain", control(fs, 0, NULL, 0), 0, 1, NULL);
  show("IFileSystemProxy OpenSdCardFileSystem", domain_request(fs, 1, 18, NULL, 0), 1, 0, NULL);
  struct {
    uint32_t option, pad;
    uint64_t size;
  } create = {0, 0, 4};
  show("CreateDirectory(/switch/new)", path_request(fs, 2, 2, "/switch/new", NULL, 0), 1, 0, NULL);
  show("CreateDirectory(/switch/new) again", path_request(fs, 2, 2, "/switch/new", NULL, 0), 1, 0, NULL);
  show("CreateFile(/switch/new/save.bin, 4)", path_request(fs, 2, 0, "/switch/new/save.bin", &create, 16), 1, 0, NULL);
  show("OpenFile(save.bin, write|append)", path_request(fs, 2, 8, "/switch/new/save.bin", &write_append, 4), 1, 0, NULL);
  memcpy(guest(DATA), "savedata", 8);
  show("IFile Write(0, 4)", file_io(fs, 3, 1, 0, 4, 1), 1, 0, NULL);
  memcpy(guest(DATA), "dat!", 4);
  show("IFile Write(4, 4) appends", file_io(fs, 3, 1, 4, 4, 1), 1, 0, NULL);
  show("IFile Flush", domain_request(fs, 3, 2, NULL, 0), 1, 0, NULL);
  show("IFile GetSize", domain_request(fs, 3, 4, NULL, 0), 1, 2, NULL);
  show("OpenFile(save.bin, read)", path_request(fs, 2, 8, "/switch/new/save.bin", &read, 4), 1, 0, NULL);
  show("IFile Write without write mode", file_io(fs, 4, 1, 0, 4, 1), 1, 0, NULL);
  uint32_t write_only = 2;
  show("OpenFile(save.bin, write)", path_request(fs, 2, 8, "/switch/new/save.bin", &write_only, 4), 1, 0, NULL);
  show("IFile Write past the end without append", file_io(fs, 5, 1, 6, 4, 1), 1, 0, NULL);
  memcpy(guest(DATA), "data", 4);
  show("IFile Write inside", file_io(fs, 5, 1, 4, 4, 1), 1, 0, NULL);
  /* RenameFile takes two paths: X 0 and X 1. */
  memset(guest(0x2000006400), 0, 0x301);
  memcpy(guest(0x2000006400), "/switch/keep.bin", 16);
  memset(guest(0x2000006000), 0, 0x301);
  memcpy(guest(0x2000006000), "/switch/new/save.bin", 20);
  header(4, 2, 0, 0, 0, data_words(0, 1, 0), 0, 0, 0, NULL);
  x_descriptor(0, 0x2000006000, 0x301);
  x_descriptor(1, 0x2000006400, 0x301);
  domain_header(1, 2, 16, 0);
  w(0x49434653), w(0), w(5), w(0);
  show("RenameFile(/switch/new/save.bin, /switch/keep.bin)", send(fs), 1, 0, NULL);
  show("GetEntryType(/switch/keep.bin)", path_request(fs, 2, 7, "/switch/keep.bin", NULL, 0), 1, 1, NULL);
  show("CreateFile(/switch/new/x.bin, 4)", path_request(fs, 2, 0, "/switch/new/x.bin", &create, 16), 1, 0, NULL);
  show("DeleteDirectory(/switch/new) not empty", path_request(fs, 2, 3, "/switch/new", NULL, 0), 1, 0, NULL);
  show("DeleteFile(/switch/new/x.bin)", path_request(fs, 2, 1, "/switch/new/x.bin", NULL, 0), 1, 0, NULL);
  show("DeleteDirectory(/switch/new)", path_request(fs, 2, 3, "/switch/new", NULL, 0), 1, 0, NULL);
  show("CreateFile(/../outside.bin)", path_request(fs, 2, 0, "/../outside.bin", &create, 16), 1, 0, NULL);
  /* The title's NRO at the Argv path (sdmc:/switch/title.nro): readable, never writable. */
  show("GetEntryType(/switch/title.nro)", path_request(fs, 2, 7, "/switch/title.nro", NULL, 0), 1, 1, NULL);
  show("OpenFile(title.nro, read|write)", path_request(fs, 2, 8, "/switch/title.nro", &read_write, 4), 1, 0, NULL);
  show("DeleteFile(title.nro)", path_request(fs, 2, 1, "/switch/title.nro", NULL, 0), 1, 0, NULL);
  show("CreateFile(title.nro)", path_request(fs, 2, 0, "/switch/title.nro", &create, 16), 1, 0, NULL);
  show("OpenFile(title.nro, read)", path_request(fs, 2, 8, "/switch/title.nro", &read, 4), 1, 0, NULL);
  memset(guest(DATA), 0, 16);
  show("IFile Read(16, 4)", file_io(fs, 6, 0, 16, 4, 0), 1, 2, NULL);
  printf("  read \"%.4s\"\n", (const char *)guest(DATA));
  show("IFileSystem Commit", domain_request(fs, 2, 10, NULL, 0), 1, 0, NULL);
}
