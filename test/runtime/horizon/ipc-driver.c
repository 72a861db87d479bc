/*
 * Test driver for the horizon personality (test/runtime/horizon.test.ts): boots the loader, then
 * sends IPC requests through svc SendSyncRequest exactly as libnx lays them out in the TLS
 * buffer (sf/hipc.h, sf/cmif.h; encoded here independently of the runtime's parser) and prints
 * what comes back. HZ_CASE selects a fault case instead of the main sequence, HZ_PART=display the
 * display part (display-driver.c), HZ_PART=audio the audio part (audio-driver.c),
 * HZ_PART=fs the SD card writes (fs-driver.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "display-driver.h"
#include "ipc/hipc.h"
#include "kernel/kernel.h"
#include "kernel/svc.h"
#include "loader/loader.h"
#include "memory.h"
#include "program.h"
#include "services.h"

static recomp_cpu boot; /* the registers the loader set */

static void loader_and_memory(void) {
  printf("x0=%llx x1=%llx x30=%llx sp=%llx tpidrro=%llx\n", (unsigned long long)boot.x[0], (unsigned long long)boot.x[1],
         (unsigned long long)boot.x[30], (unsigned long long)boot.sp, (unsigned long long)boot.tpidrro_el0);
  for (const uint8_t *entry = guest(boot.x[0]);; entry += 24) {
    uint64_t v0, v1;
    memcpy(&v0, entry + 8, 8), memcpy(&v1, entry + 16, 8);
    printf("entry key=%u flags=%u value=%llx,%llx\n", r32(entry), r32(entry + 4), (unsigned long long)v0, (unsigned long long)v1);
    if (r32(entry) == 0) break;
  }
  printf("argv=%s\n", (const char *)guest(r32(guest(boot.x[0]) + 3 * 24 + 16)));
  static const uint64_t queries[] = {0x40008000, 0x2000000000, 0x3000000000, 0x10000, 0x8000000000};
  uint64_t info_at = 0x2000000000;
  for (unsigned i = 0; i < 5; i++) {
    uint32_t rc = (uint32_t)svc(0x06, info_at, 0, queries[i], 0);
    const uint8_t *m = guest(info_at);
    uint64_t base, size;
    memcpy(&base, m, 8), memcpy(&size, m + 8, 8);
    printf("QueryMemory(%llx): rc=0x%x base=%llx size=%llx type=%x attr=%x perm=%x\n", (unsigned long long)queries[i], rc,
           (unsigned long long)base, (unsigned long long)size, r32(m + 16), r32(m + 20), r32(m + 24));
  }
  static const uint32_t ids[] = {2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 28};
  for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
    uint32_t rc = (uint32_t)svc(0x29, 0, ids[i], HOS_CURRENT_PROCESS, 0);
    printf("GetInfo(%u)=0x%x,%llx\n", ids[i], rc, (unsigned long long)cpu.x[1]);
  }
  uint32_t rc = (uint32_t)svc(0x29, 0, 11, 0, 3);
  printf("GetInfo(11,3)=0x%x nonzero=%d\n", rc, cpu.x[1] != 0);
  rc = (uint32_t)svc(0x01, 0, 0x400000, 0, 0);
  printf("SetHeapSize(0x400000)=0x%x,%llx\n", rc, (unsigned long long)cpu.x[1]);
  printf("SetHeapSize(0x1000)=0x%x\n", (uint32_t)svc(0x01, 0, 0x1000, 0, 0));
  rc = (uint32_t)svc(0x02, 0x2000001000, 0x1000, 1, 0);
  printf("SetMemoryPermission(R)=0x%x state=%x\n", rc, rt_page_state(0x2000001000));
  printf("SetMemoryAttribute(lock)=0x%x\n", (uint32_t)svc(0x03, 0x2000001000, 0x1000, 0x10, 0x10));
  printf("SetMemoryPermission(locked)=0x%x\n", (uint32_t)svc(0x02, 0x2000001000, 0x1000, 3, 0));
  rc = (uint32_t)svc(0x15, 0, 0x2000200000, 0x200000, 0);
  uint32_t tmem = (uint32_t)cpu.x[1];
  printf("CreateTransferMemory=0x%x handle=%x state=%x\n", rc, tmem, rt_page_state(0x2000200000));
  rc = (uint32_t)svc(0x16, tmem, 0, 0, 0);
  printf("CloseHandle(tmem)=0x%x state=%x\n", rc, rt_page_state(0x2000200000));
  hos_shared_memory *shared = hos_shared_memory_create(0x1000, HOS_PERM_R);
  uint32_t shared_handle = hos_handle_create(&shared->object);
  printf("MapSharedMemory(RW)=0x%x\n", (uint32_t)svc(0x13, shared_handle, 0x50000000, 0x1000, 3));
  printf("MapSharedMemory(R)=0x%x\n", (uint32_t)svc(0x13, shared_handle, 0x50000000, 0x1000, 1));
  shared->host[8] = 0x5A;
  printf("shared byte=%x state=%x\n", guest(0x50000000)[8], rt_page_state(0x50000000));
  rc = (uint32_t)svc(0x14, shared_handle, 0x50000000, 0x1000, 0);
  printf("UnmapSharedMemory=0x%x state=%x\n", rc, rt_page_state(0x50000000));
}

static void sync_objects(void) {
  svc(0x45, 0, 0, 0, 0);
  uint32_t writable = (uint32_t)cpu.x[1], readable = (uint32_t)cpu.x[2];
  uint64_t list = 0x2000000100;
  memcpy(guest(list), &readable, 4);
  printf("Wait(unsignalled, 0)=0x%x\n", (uint32_t)svc(0x18, 0, list, 1, 0));
  printf("SignalEvent=0x%x\n", (uint32_t)svc(0x11, writable, 0, 0, 0));
  uint32_t rc = (uint32_t)svc(0x18, 0, list, 1, (uint64_t)-1);
  printf("Wait(signalled)=0x%x index=%llu\n", rc, (unsigned long long)cpu.x[1]);
  rc = (uint32_t)svc(0x17, readable, 0, 0, 0);
  printf("ResetSignal=0x%x again=0x%x\n", rc, (uint32_t)svc(0x17, readable, 0, 0, 0));
  uint64_t word = 0x2000000200;
  uint32_t value = 5;
  memcpy(guest(word), &value, 4);
  rc = (uint32_t)svc(0x35, word, 1, 5, 1);
  printf("SignalToAddress(inc if 5)=0x%x now=%u\n", rc, r32(guest(word)));
  printf("SignalToAddress(inc if 5)=0x%x\n", (uint32_t)svc(0x35, word, 1, 5, 1));
  printf("WaitForAddress(if less than 3)=0x%x\n", (uint32_t)svc(0x34, word, 0, 3, 0));
  printf("WaitForAddress(if less than 9, timeout)=0x%x\n", (uint32_t)svc(0x34, word, 0, 9, 0));
  value = 0x40000060;
  memcpy(guest(word), &value, 4);
  rc = (uint32_t)svc(0x1B, word, 0, 0, 0);
  printf("ArbitrateUnlock=0x%x now=%u\n", rc, r32(guest(word)));
  printf("CloseHandle(bad)=0x%x\n", (uint32_t)svc(0x16, 0x12345, 0, 0, 0));
}

static uint32_t connect_sm(void) {
  memcpy(guest(0x2000000000), "sm:", 4);
  uint32_t rc = (uint32_t)svc(0x1F, 0, 0x2000000000, 0, 0);
  printf("ConnectToNamedPort(sm:)=0x%x handle=%llx\n", rc, (unsigned long long)cpu.x[1]);
  return (uint32_t)cpu.x[1];
}

static void descriptors(void) {
  /* Every descriptor kind with addresses using all 39 bits and a size above 4 GiB. */
  uint32_t copies[2] = {0x11, 0x22};
  header(4, 2, 1, 1, 1, 12, 2 + 2, 1, 2, copies);
  x_descriptor(3, 0x7123456789, 0x40);
  x_descriptor(5, 0x0000001000, 0xFFFF);
  buffer_descriptor(0x6ABCDEF000, 0x123456789, 1);
  buffer_descriptor(0x0000002000, 0x10, 0);
  buffer_descriptor(0x7FFFFFF000, 0x1000, 3);
  at += 4 * 12;
  w(0x89ABC000), w(0x0040 << 16 | 0x7F);
  w(0x00001000), w(0x0000 << 16 | 0x00);
  hipc_message m;
  int ok = hipc_parse(tls, &m);
  printf("parse=%d type=%u pid=%d copies=%x,%x\n", ok, m.type, m.send_pid, m.copy_handles[0], m.copy_handles[1]);
  for (uint32_t i = 0; i < m.num_send_statics; i++) {
    printf("X index=%u address=%llx size=%llx\n", m.send_statics[i].index, (unsigned long long)m.send_statics[i].address,
           (unsigned long long)m.send_statics[i].size);
  }
  printf("A address=%llx size=%llx mode=%u\n", (unsigned long long)m.send_buffers[0].address, (unsigned long long)m.send_buffers[0].size, m.send_buffers[0].mode);
  printf("B address=%llx size=%llx mode=%u\n", (unsigned long long)m.recv_buffers[0].address, (unsigned long long)m.recv_buffers[0].size, m.recv_buffers[0].mode);
  printf("W address=%llx size=%llx mode=%u\n", (unsigned long long)m.exch_buffers[0].address, (unsigned long long)m.exch_buffers[0].size, m.exch_buffers[0].mode);
  printf("data offset=%u words=%u\n", m.data_offset, m.num_data_words);
  for (uint32_t i = 0; i < m.num_recv_list; i++) {
    printf("C address=%llx size=%llx\n", (unsigned long long)m.recv_list[i].address, (unsigned long long)m.recv_list[i].size);
  }
  header(4, 0, 0, 0, 0, 0x3F0, 0, 0, 0, NULL);
  printf("parse(overlong)=%d\n", hipc_parse(tls, &m));
  /* sf/hipc.h's special header: move handles follow the copy handles (bits 5-8); receive mode 2 is
   * one "auto" C entry naming the whole pointer buffer (address bits 32-47 beside its size). */
  header(4, 0, 0, 0, 0, 4, 2, 0, 0, NULL);
  at = 4;
  w(4 | 2u << 10 | 1u << 31), w(1u << 1 | 2u << 5), w(0x33), w(0x44), w(0x55);
  at += 4 * 4;
  w(0x12345000), w(0x0100u << 16 | 0x7F);
  ok = hipc_parse(tls, &m);
  printf("parse=%d copies=%u:%x moves=%u:%x,%x recv_mode=%u entries=%u C address=%llx size=%llx\n", ok, m.num_copy_handles, m.copy_handles[0],
         m.num_move_handles, m.move_handles[0], m.move_handles[1], m.recv_static_mode, m.num_recv_list,
         (unsigned long long)m.recv_list[0].address, (unsigned long long)m.recv_list[0].size);
}

static void services(uint32_t sm) {
  uint64_t placeholder = 0;
  show("sm RegisterClient", request(sm, 0, &placeholder, 8, 1), 0, 0, NULL);
  show("sm QueryPointerBufferSize", control(sm, 3, NULL, 0), 0, 1, NULL);
  uint32_t setsys = get_service(sm, "set:sys");
  show("set:sys QueryPointerBufferSize", control(setsys, 3, NULL, 0), 0, 1, NULL);
  /* GetFirmwareVersion (3): a fixed-size C buffer, one receive-list entry (mode 2 + 1). */
  uint64_t out = 0x2000003000;
  header(4, 0, 0, 0, 0, data_words(0, 0, 0), 3, 0, 0, NULL);
  cmif(3, NULL, 0);
  at = 8 + 4 * data_words(0, 0, 0);
  w((uint32_t)out), w((uint32_t)(out >> 32) | 0x100u << 16);
  show("set:sys GetFirmwareVersion", send(setsys), 0, 0, NULL);
  printf("firmware=%u.%u.%u rev=%u platform=%s display=%s\n", guest(out)[0], guest(out)[1], guest(out)[2], guest(out)[4],
         (const char *)guest(out + 8), (const char *)guest(out + 0x68));
  uint32_t set = get_service(sm, "set");
  show("set GetLanguageCode", request(set, 0, NULL, 0, 0), 0, 2, NULL);
  header(4, 0, 0, 1, 0, data_words(0, 0, 0), 0, 0, 0, NULL);
  buffer_descriptor(out, 0x40, 0);
  cmif(5, NULL, 0);
  show("set GetAvailableLanguageCodes2 (B)", send(set), 0, 1, NULL);
  printf("language=%.8s\n", (const char *)guest(out));

  uint32_t apm = get_service(sm, "apm");
  uint32_t session = 0;
  show("apm OpenSession", request(apm, 0, NULL, 0, 0), 0, 0, &session);
  uint32_t in[2] = {1, 0x92220007};
  show("ISession SetPerformanceConfiguration", request(session, 0, in, 8, 0), 0, 0, NULL);
  show("ISession GetPerformanceConfiguration", request(session, 1, in, 4, 0), 0, 1, NULL);
  show("apm GetPerformanceMode", request(apm, 1, NULL, 0, 0), 0, 1, NULL);

  show("apm ConvertCurrentObjectToDomain", control(apm, 0, NULL, 0), 0, 1, NULL);
  show("apm ConvertCurrentObjectToDomain again", control(apm, 0, NULL, 0), 0, 1, NULL);
  show("domain 1 OpenSession", domain_request(apm, 1, 0, NULL, 0), 1, 0, NULL);
  show("domain 2 GetPerformanceConfiguration", domain_request(apm, 2, 1, in, 4), 1, 1, NULL);
  uint32_t copied = 0, clone = 0, clone_ex = 0, tag = 1;
  uint32_t object = 2;
  show("CopyFromCurrentDomain(2)", control(apm, 1, &object, 4), 0, 0, &copied);
  show("copied ISession GetPerformanceConfiguration", request(copied, 1, in, 4, 0), 0, 1, NULL);
  show("CloneCurrentObject", control(apm, 2, NULL, 0), 0, 0, &clone);
  show("CloneCurrentObjectEx", control(apm, 4, &tag, 4), 0, 0, &clone_ex);
  show("clone domain 1 GetPerformanceMode", domain_request(clone_ex, 1, 1, NULL, 0), 1, 1, NULL);
  header(4, 0, 0, 0, 0, (16 + 16) / 4, 0, 0, 0, NULL);
  domain_header(2, 2, 0, 0);
  show("domain Close(2)", send(apm), 1, 0, NULL);
  show("domain 1 OpenSession after close", domain_request(apm, 1, 0, NULL, 0), 1, 0, NULL);
  header(2, 0, 0, 0, 0, 0, 0, 0, 0, NULL);
  uint32_t rc = send(session);
  printf("session Close=0x%x CloseHandle=0x%x\n", rc, (uint32_t)svc(0x16, session, 0, 0, 0));
  printf("SendSyncRequest(closed)=0x%x\n", send(session));
}

/* libnx's applet start-up for an Application (applet.c appletInitialize), in a domain. */
static void applet_start(uint32_t sm) {
  uint32_t oe = get_service(sm, "appletOE");
  show("appletOE ConvertCurrentObjectToDomain", control(oe, 0, NULL, 0), 0, 1, NULL);
  uint32_t process = HOS_CURRENT_PROCESS;
  uint64_t reserved = 0;
  show("OpenApplicationProxy", domain_request_with(oe, 1, 0, &reserved, 8, 1, 1, &process), 1, 0, NULL);
  static const uint32_t proxy_commands[] = {20, 11, 0, 1, 2};
  for (unsigned i = 0; i < 5; i++) {
    char label[48];
    snprintf(label, sizeof label, "IApplicationProxy %u", proxy_commands[i]);
    show(label, domain_request(oe, 2, proxy_commands[i], NULL, 0), 1, 0, NULL);
  }
  show("IWindowController GetAppletResourceUserId", domain_request(oe, 7, 1, NULL, 0), 1, 2, NULL);
  show("IApplicationProxy 3", domain_request(oe, 2, 3, NULL, 0), 1, 0, NULL);
  show("IApplicationProxy 4", domain_request(oe, 2, 4, NULL, 0), 1, 0, NULL);
  show("IApplicationProxy 1000", domain_request(oe, 2, 1000, NULL, 0), 1, 0, NULL);
  show("ISelfController GetAccumulatedSuspendedTickChangedEvent", domain_request(oe, 6, 91, NULL, 0), 1, 0, NULL);
  show("ICommonStateGetter GetEventHandle", domain_request(oe, 5, 0, NULL, 0), 1, 0, NULL);
  show("ICommonStateGetter GetCurrentFocusState", domain_request(oe, 5, 9, NULL, 0), 1, 1, NULL);
  show("IWindowController AcquireForegroundRights", domain_request(oe, 7, 10, NULL, 0), 1, 0, NULL);
  uint8_t flags[3] = {0, 0, 1};
  show("ISelfController SetFocusHandlingMode", domain_request(oe, 6, 13, flags, 3), 1, 0, NULL);
  show("ISelfController SetOutOfFocusSuspendingEnabled", domain_request(oe, 6, 16, flags, 1), 1, 0, NULL);
  show("IApplicationFunctions NotifyRunning", domain_request(oe, 3, 40, NULL, 0), 1, 1, NULL);
  show("ICommonStateGetter GetOperationMode", domain_request(oe, 5, 5, NULL, 0), 1, 1, NULL);
  show("ICommonStateGetter GetPerformanceMode", domain_request(oe, 5, 6, NULL, 0), 1, 1, NULL);
  show("ISelfController SetOperationModeChangedNotification", domain_request(oe, 6, 11, flags + 2, 1), 1, 0, NULL);
  show("ISelfController SetPerformanceModeChangedNotification", domain_request(oe, 6, 12, flags + 2, 1), 1, 0, NULL);
  show("ISelfController CreateManagedDisplayLayer", domain_request(oe, 6, 40, NULL, 0), 1, 2, NULL);
  show("ICommonStateGetter ReceiveMessage", domain_request(oe, 5, 1, NULL, 0), 1, 0, NULL);
  if (getenv("HZ_CASE") != NULL) domain_request(oe, 8, 0, NULL, 0);
}

/* libnx's hid start-up (hid.c _hidInitialize) and padConfigureInput, then the handheld npad in shared memory. */
static void hid_start(uint32_t sm) {
  uint32_t hid = get_service(sm, "hid"), resource = 0, memory = 0;
  uint64_t aruid = 0x51;
  show("hid CreateAppletResource", request(hid, 0, &aruid, 8, 1), 0, 0, &resource);
  show("IAppletResource GetSharedMemoryHandle", request(resource, 0, NULL, 0, 0), 0, 0, NULL);
  memory = r32(tls + 12);
  uint64_t address = 0x60000000;
  uint32_t rc = (uint32_t)svc(0x13, memory, address, 0x40000, 1);
  printf("MapSharedMemory(hid)=0x%x state=%x\n", rc, rt_page_state(address));
  const uint8_t *npad = guest(address + 0x9A00 + 8 * 0x5000), *lifo = npad + 0x378;
  printf("handheld style=%x assignment=%u device=%x lifo count=%u tail=%u\n", r32(npad), r32(npad + 4), r32(npad + 0x4188), r32(lifo + 0x18),
         r32(lifo + 0x10));
  const uint8_t *state = lifo + 0x20 + 0x30 * r32(lifo + 0x10) + 8;
  printf("handheld buttons=%x stick_l=%d,%d stick_r=%d,%d attributes=%x\n", r32(state + 8), (int32_t)r32(state + 16), (int32_t)r32(state + 20),
         (int32_t)r32(state + 24), (int32_t)r32(state + 28), r32(state + 32));
  struct {
    uint32_t revision, padding;
    uint64_t aruid;
  } activate = {3, 0, 0x51};
  show("hid ActivateNpadWithRevision", request(hid, 109, &activate, 16, 1), 0, 0, NULL);
  uint32_t ids[2] = {0, 0x20};
  memcpy(guest(0x2000004000), ids, 8);
  header(4, 1, 0, 0, 0, data_words(8, 0, 0), 0, 1, 0, NULL);
  x_descriptor(0, 0x2000004000, 8);
  cmif(102, &aruid, 8);
  show("hid SetSupportedNpadIdType (X)", send(hid), 0, 0, NULL);
  struct {
    uint32_t style, padding;
    uint64_t aruid;
  } styles = {0x1F, 0, 0x51};
  show("hid SetSupportedNpadStyleSet", request(hid, 100, &styles, 16, 1), 0, 0, NULL);
  if (getenv("HZ_CASE") != NULL) {
    header(4, 1, 0, 0, 0, data_words(8, 0, 0), 0, 1, 0, NULL);
    x_descriptor(0, 0x6000000000, 8);
    cmif(102, &aruid, 8);
    send(hid);
  }
}

/* libnx's time start-up (time.c timeInitialize) and __libnx_init_time's calendar request. */
static void time_start(uint32_t sm) {
  uint32_t time = get_service(sm, "time:u"), sessions[5] = {0}, memory;
  for (uint32_t i = 0; i < 5; i++) {
    char label[32];
    snprintf(label, sizeof label, "IStaticService %u", i);
    show(label, request(time, i, NULL, 0, 0), 0, 0, &sessions[i]);
  }
  show("IStaticService GetSharedMemoryNativeHandle", request(time, 20, NULL, 0, 0), 0, 0, NULL);
  memory = r32(tls + 12);
  uint32_t rc = (uint32_t)svc(0x13, memory, 0x61000000, 0x1000, 1);
  const uint8_t *shared = guest(0x61000000);
  printf("MapSharedMemory(time)=0x%x steady base=%u user offset=%u network offset=%u same source=%d\n", rc, r32(shared + 8),
         r32(shared + 0x40), r32(shared + 0x88), memcmp(shared + 0x10, shared + 0x50, 16) == 0 && memcmp(shared + 0x10, shared + 0x98, 16) == 0);
  show("ISystemClock GetCurrentTime", request(sessions[0], 0, NULL, 0, 0), 0, 2, NULL);
  show("ISteadyClock GetCurrentTimePoint", request(sessions[2], 0, NULL, 0, 0), 0, 2, NULL);
  uint64_t leap_day = 1704067200ull + 86400ull * 59 + 3661;
  show("ITimeZoneService ToCalendarTimeWithMyRule", request(sessions[3], 101, &leap_day, 8, 0), 0, 8, NULL);
}

/* fsp-srv with the SD card folder the test prepared (RECOMP_SDMC_DIR): switch/b.bin, switch/hello.txt, switch/sub/. */
static void fs_start(uint32_t sm) {
  uint32_t fs = get_service(sm, "fsp-srv"), mode = 3;
  uint64_t out = 0x2000007000;
  show("fsp-srv ConvertCurrentObjectToDomain", control(fs, 0, NULL, 0), 0, 1, NULL);
  header(4, 0, 0, 0, 0, data_words(8, 1, 0), 0, 1, 0, NULL);
  domain_header(1, 1, 16 + 8, 0);
  w(0x49434653), w(0), w(1), w(0), w(0), w(0);
  show("IFileSystemProxy SetCurrentProcess", send(fs), 1, 0, NULL);
  show("IFileSystemProxy OpenSdCardFileSystem", domain_request(fs, 1, 18, NULL, 0), 1, 0, NULL);
  show("IFileSystem OpenDirectory(/switch)", path_request(fs, 2, 9, "/switch", &mode, 4), 1, 0, NULL);
  show("IDirectory GetEntryCount", domain_request(fs, 3, 1, NULL, 0), 1, 2, NULL);
  for (int i = 0; i < 2; i++) {
    header(4, 0, 0, 1, 0, data_words(0, 1, 0), 0, 0, 0, NULL);
    buffer_descriptor(out, 2 * 0x310, 0);
    domain_header(1, 3, 16, 0);
    w(0x49434653), w(0), w(0), w(0);
    show("IDirectory Read (2 entries)", send(fs), 1, 2, NULL);
    for (uint32_t e = 0; e < r32(tls + 48) && e < 2; e++) {
      const uint8_t *entry = guest(out + e * 0x310);
      printf("  entry %s type=%u size=%u\n", (const char *)entry, entry[0x304], r32(entry + 0x308));
    }
  }
  show("IFileSystem GetEntryType(/switch/sub/../hello.txt)", path_request(fs, 2, 7, "/switch/sub/../hello.txt", NULL, 0), 1, 1, NULL);
  show("IFileSystem GetEntryType(/../etc)", path_request(fs, 2, 7, "/../etc", NULL, 0), 1, 0, NULL);
  mode = 1;
  show("IFileSystem OpenFile(/switch/hello.txt)", path_request(fs, 2, 8, "//switch/./hello.txt", &mode, 4), 1, 0, NULL);
  show("IFile GetSize", domain_request(fs, 4, 4, NULL, 0), 1, 2, NULL);
  struct {
    uint32_t option, padding;
    uint64_t offset, size;
  } read = {0, 0, 6, 5};
  memset(guest(out), 0, 16);
  header(4, 0, 0, 1, 0, data_words(24, 1, 0), 0, 0, 0, NULL);
  buffer_descriptor(out, 16, 1);
  domain_header(1, 4, 16 + 24, 0);
  w(0x49434653), w(0), w(0), w(0);
  memcpy(tls + at, &read, 24);
  show("IFile Read(6, 5)", send(fs), 1, 2, NULL);
  printf("  read \"%.5s\"\n", (const char *)guest(out));
  show("IFileSystem OpenFile(/switch/none)", path_request(fs, 2, 8, "/switch/none", &mode, 4), 1, 0, NULL);
}

/* A stand-in for a lifted thread entry (guest address 0x1000): it calls the SVCs as lifted code does. */
static uint64_t word_address = 0x2000005000, mutex_address = 0x2000005004, key_address = 0x2000005008;
static uint32_t main_event_writable;
static uint64_t thread_svc(recomp_cpu *c, uint32_t number, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3) {
  c->x[0] = x0, c->x[1] = x1, c->x[2] = x2, c->x[3] = x3;
  rt_svc(c, number, 0x1000);
  return c->x[0];
}
/* A lifted function as the emitter writes them (program.h, rt_guest_fn): the thread's argument comes in x0. */
static rt_return thread_body(recomp_cpu *c, uint64_t x0, uint64_t x1, uint64_t x30) {
  (void)x1;
  uint64_t id = x0;
  uint32_t rc;
  printf("thread %llu starts: tls=%llx sp=%llx core=%llu\n", (unsigned long long)id, (unsigned long long)c->tpidrro_el0,
         (unsigned long long)c->sp, (unsigned long long)thread_svc(c, 0x10, 0, 0, 0, 0));
  if (id == 2) {
    rc = (uint32_t)thread_svc(c, 0x34, word_address, 2, 0, (uint64_t)-1); /* WaitIfEqual 0 */
    printf("thread 2 woken from WaitForAddress: 0x%x\n", rc);
  } else if (id == 1) {
    rc = (uint32_t)thread_svc(c, 0x35, word_address, 0, 0, 1);
    printf("thread 1 SignalToAddress: 0x%x, yields\n", rc);
    thread_svc(c, 0x0B, 0, 0, 0, 0);
    printf("thread 1 signals the main thread's event and exits\n");
    thread_svc(c, 0x11, main_event_writable, 0, 0, 0);
    thread_svc(c, 0x0A, 0, 0, 0, 0);
  } else if (id == 3) {
    uint32_t owner = r32(guest(mutex_address)) | 0x40000000;
    memcpy(guest(mutex_address), &owner, 4); /* libnx marks the waiter bit before ArbitrateLock */
    rc = (uint32_t)thread_svc(c, 0x1A, owner & ~0x40000000u, mutex_address, 0x3333, 0);
    printf("thread 3 owns the mutex: 0x%x word=%x; waits on the condition\n", rc, r32(guest(mutex_address)));
    rc = (uint32_t)thread_svc(c, 0x1C, mutex_address, key_address, 0x3333, (uint64_t)-1);
    printf("thread 3 woken from the condition: 0x%x word=%x key=%u\n", rc, r32(guest(mutex_address)), r32(guest(key_address)));
    thread_svc(c, 0x1B, mutex_address, 0, 0, 0);
  }
  printf("thread %llu returns\n", (unsigned long long)id);
  return (rt_return){x30, c->x[0]};
}
static void run_thread_body(recomp_cpu *c) { rt_invoke(c, thread_body); }
const rt_function rt_functions[1] = {{0x1000, thread_body, "thread_body"}};
const unsigned rt_function_count = 1;
const rt_entry_fn rt_entry = run_thread_body;

/* Threads on the deterministic scheduler: priorities, round-robin, events, address arbitration, mutex and condition. */
static void threads(void) {
  uint32_t rc = (uint32_t)svc(0x45, 0, 0, 0, 0), readable = (uint32_t)cpu.x[2], handles[3];
  main_event_writable = (uint32_t)cpu.x[1];
  static const uint32_t priorities[3] = {44, 43, 44};
  for (uint32_t i = 0; i < 3; i++) {
    cpu.x[4] = priorities[i], cpu.x[5] = (uint64_t)-2;
    rc = (uint32_t)svc(0x08, 0, 0x1000, i + 1, 0x3000080000 - 0x10000 * i);
    handles[i] = (uint32_t)cpu.x[1];
    printf("CreateThread(%u)=0x%x handle=%x\n", i + 1, rc, handles[i]);
  }
  cpu.x[4] = 64;
  printf("CreateThread(priority 64)=0x%x\n", (uint32_t)svc(0x08, 0, 0x1000, 9, 0x3000070000));
  svc(0x25, 0, handles[0], 0, 0);
  printf("GetThreadId=%llx\n", (unsigned long long)cpu.x[1]);
  svc(0x09, handles[0], 0, 0, 0), svc(0x09, handles[1], 0, 0, 0);
  printf("StartThread twice=0x%x\n", (uint32_t)svc(0x09, handles[1], 0, 0, 0));
  memcpy(guest(0x2000000100), &readable, 4);
  printf("main waits on its event\n");
  rc = (uint32_t)svc(0x18, 0, 0x2000000100, 1, (uint64_t)-1);
  printf("main woken: 0x%x index=%llu\n", rc, (unsigned long long)cpu.x[1]);
  memcpy(guest(0x2000000100), &handles[1], 4);
  rc = (uint32_t)svc(0x18, 0, 0x2000000100, 1, (uint64_t)-1);
  printf("main waited for thread 2: 0x%x\n", rc);
  /* The main thread owns the mutex; thread 3 queues on it, gets it on unlock, then waits on the condition. */
  uint32_t main_tag = 0x8000;
  memcpy(guest(mutex_address), &main_tag, 4);
  svc(0x09, handles[2], 0, 0, 0);
  svc(0x0B, 0, 0, 0, 0);
  printf("main yielded: mutex word=%x\n", r32(guest(mutex_address)));
  rc = (uint32_t)svc(0x1B, mutex_address, 0, 0, 0);
  printf("main ArbitrateUnlock=0x%x word=%x\n", rc, r32(guest(mutex_address)));
  svc(0x0B, 0, 0, 0, 0);
  printf("main yielded: word=%x key=%u\n", r32(guest(mutex_address)), r32(guest(key_address)));
  rc = (uint32_t)svc(0x1D, key_address, 1, 0, 0);
  printf("main SignalProcessWideKey=0x%x word=%x\n", rc, r32(guest(mutex_address)));
  memcpy(guest(0x2000000100), &handles[2], 4);
  rc = (uint32_t)svc(0x18, 0, 0x2000000100, 1, (uint64_t)-1);
  printf("main waited for thread 3: 0x%x word=%x\n", rc, r32(guest(mutex_address)));
  rc = (uint32_t)svc(0x0B, 1000000, 0, 0, 0);
  printf("main slept alone\n");
}

static void fault_case(const char *name, uint32_t sm) {
  display_fault(name, sm);
  if (strcmp(name, "hid-pointer") == 0) hid_start(sm);
  if (strcmp(name, "applet-audio") == 0) applet_start(sm);
  if (strcmp(name, "unknown-service") == 0) get_service(sm, "nosuch");
  /* Frames presented before the fault: the capture keeps them and the log has their lines. */
  if (strcmp(name, "after-frames") == 0) display_part(sm);
  uint32_t apm = get_service(sm, "apm");
  if (strcmp(name, "unknown-command") == 0 || strcmp(name, "after-frames") == 0) request(apm, 99, NULL, 0, 0);
  if (strcmp(name, "bad-buffer") == 0 || strcmp(name, "outside-buffer") == 0) {
    uint32_t set = get_service(sm, "set");
    header(4, 0, 0, 1, 0, data_words(0, 0, 0), 0, 0, 0, NULL);
    buffer_descriptor(strcmp(name, "bad-buffer") == 0 ? 0x5000000000 : 0xFFFFFFF000, 0x40, 0);
    cmif(5, NULL, 0);
    send(set);
  }
  if (strcmp(name, "unknown-svc") == 0) svc(0x2C, 0, 0, 0, 0);
  if (strcmp(name, "unknown-info") == 0) svc(0x29, 0, 19, HOS_CURRENT_PROCESS, 0);
  if (strcmp(name, "deadlock") == 0) {
    svc(0x45, 0, 0, 0, 0);
    uint32_t readable = (uint32_t)cpu.x[2];
    memcpy(guest(0x2000000100), &readable, 4);
    svc(0x18, 0, 0x2000000100, 1, (uint64_t)-1);
  }
  if (strcmp(name, "domain-missing") == 0) {
    control(apm, 0, NULL, 0);
    domain_request(apm, 7, 0, NULL, 0);
  }
  printf("no fault\n");
}

int main(int argc, char **argv) {
  int status = rt_personality_init(argc, argv);
  if (status != 0 || rt_memory_init() != 0 || rt_map(0x3000000000, 0x100000, RT_READ | RT_WRITE) != 0) return 3;
  hos_loader_prepare(&cpu, rt_stack_top);
  boot = cpu;
  tls = guest(cpu.tpidrro_el0);
  const char *fault = getenv("HZ_CASE");
  uint32_t sm = connect_sm();
  if (fault != NULL) fault_case(fault, sm);
  const char *part = getenv("HZ_PART");
  if (part != NULL && strcmp(part, "display") == 0) {
    display_part(sm);
    fflush(stdout);
    return recomp_services_finish();
  }
  if (part != NULL && strcmp(part, "fs") == 0) {
    fs_part(sm);
    fflush(stdout);
    return recomp_services_finish();
  }
  if (part != NULL && strcmp(part, "audio") == 0) {
    audio_part(sm);
    fflush(stdout);
    return recomp_services_finish();
  }
  loader_and_memory();
  sync_objects();
  descriptors();
  services(sm);
  applet_start(sm);
  hid_start(sm);
  time_start(sm);
  threads();
  fs_start(sm);
  fflush(stdout);
  return recomp_services_finish();
}
