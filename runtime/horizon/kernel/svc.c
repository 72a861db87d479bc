/*
 * runtime/horizon/kernel: rt_svc of the horizon personality: the SVC table by Horizon number.
 * An SVC without a handler is a fault that names it (Horizon's name where it has one).
 */
#include <inttypes.h>
#include <stdio.h>

#include "kernel/svc.h"
#include "program.h"
#include "svc_log.h"

/* An SVC: its handler and the registers it reads and writes (Horizon's ABI), which the replay log records. */
typedef struct svc_entry {
  const char *name;
  hos_svc_fn run;
  unsigned args, results;
  int ends; /* ExitProcess, ExitThread, Break: logged before they run, as they do not return */
} svc_entry;

static const svc_entry svc_table[0x80] = {
    [0x01] = {"SetHeapSize", svc_set_heap_size, RT_X(1), RT_X(0) | RT_X(1), 0},
    [0x02] = {"SetMemoryPermission", svc_set_memory_permission, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x03] = {"SetMemoryAttribute", svc_set_memory_attribute, RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0), 0},
    [0x04] = {"MapMemory", svc_map_memory, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x05] = {"UnmapMemory", svc_unmap_memory, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x06] = {"QueryMemory", svc_query_memory, RT_X(0) | RT_X(2), RT_X(0) | RT_X(1), 0},
    [0x07] = {"ExitProcess", svc_exit_process, 0, 0, 1},
    [0x08] = {"CreateThread", svc_create_thread, RT_X(1) | RT_X(2) | RT_X(3) | RT_X(4) | RT_X(5), RT_X(0) | RT_X(1), 0},
    [0x09] = {"StartThread", svc_start_thread, RT_X(0), RT_X(0), 0},
    [0x0A] = {"ExitThread", svc_exit_thread, 0, 0, 1},
    [0x0B] = {"SleepThread", svc_sleep_thread, RT_X(0), 0, 0},
    [0x0C] = {"GetThreadPriority", svc_get_thread_priority, RT_X(1), RT_X(0) | RT_X(1), 0},
    [0x0D] = {"SetThreadPriority", svc_set_thread_priority, RT_X(0) | RT_X(1), RT_X(0), 0},
    [0x0E] = {"GetThreadCoreMask", svc_get_thread_core_mask, RT_X(2), RT_X(0) | RT_X(1) | RT_X(2), 0},
    [0x0F] = {"SetThreadCoreMask", svc_set_thread_core_mask, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x10] = {"GetCurrentProcessorNumber", svc_get_current_processor_number, 0, RT_X(0), 0},
    [0x11] = {"SignalEvent", svc_signal_event, RT_X(0), RT_X(0), 0},
    [0x12] = {"ClearEvent", svc_clear_event, RT_X(0), RT_X(0), 0},
    [0x13] = {"MapSharedMemory", svc_map_shared_memory, RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0), 0},
    [0x14] = {"UnmapSharedMemory", svc_unmap_shared_memory, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x15] = {"CreateTransferMemory", svc_create_transfer_memory, RT_X(1) | RT_X(2) | RT_X(3), RT_X(0) | RT_X(1), 0},
    [0x16] = {"CloseHandle", svc_close_handle, RT_X(0), RT_X(0), 0},
    [0x17] = {"ResetSignal", svc_reset_signal, RT_X(0), RT_X(0), 0},
    [0x18] = {"WaitSynchronization", svc_wait_synchronization, RT_X(1) | RT_X(2) | RT_X(3), RT_X(0) | RT_X(1), 0},
    [0x19] = {"CancelSynchronization", svc_cancel_synchronization, RT_X(0), RT_X(0), 0},
    [0x1A] = {"ArbitrateLock", svc_arbitrate_lock, RT_X(0) | RT_X(1) | RT_X(2), RT_X(0), 0},
    [0x1B] = {"ArbitrateUnlock", svc_arbitrate_unlock, RT_X(0), RT_X(0), 0},
    [0x1C] = {"WaitProcessWideKeyAtomic", svc_wait_process_wide_key_atomic, RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0), 0},
    [0x1D] = {"SignalProcessWideKey", svc_signal_process_wide_key, RT_X(0) | RT_X(1), RT_X(0), 0},
    [0x1E] = {"GetSystemTick", svc_get_system_tick, 0, RT_X(0), 0},
    [0x1F] = {"ConnectToNamedPort", svc_connect_to_named_port, RT_X(1), RT_X(0) | RT_X(1), 0},
    [0x20] = {"SendSyncRequestLight", NULL},
    [0x21] = {"SendSyncRequest", svc_send_sync_request, RT_X(0), RT_X(0), 0},
    [0x22] = {"SendSyncRequestWithUserBuffer", NULL},
    [0x23] = {"SendAsyncRequestWithUserBuffer", NULL},
    [0x24] = {"GetProcessId", svc_get_process_id, RT_X(1), RT_X(0) | RT_X(1), 0},
    [0x25] = {"GetThreadId", svc_get_thread_id, RT_X(1), RT_X(0) | RT_X(1), 0},
    [0x26] = {"Break", svc_break, RT_X(0) | RT_X(1) | RT_X(2), 0, 1},
    [0x27] = {"OutputDebugString", svc_output_debug_string, RT_X(0) | RT_X(1), RT_X(0), 0},
    [0x28] = {"ReturnFromException", NULL},
    [0x29] = {"GetInfo", svc_get_info, RT_X(1) | RT_X(2) | RT_X(3), RT_X(0) | RT_X(1), 0},
    [0x2C] = {"MapPhysicalMemory", NULL},
    [0x2D] = {"UnmapPhysicalMemory", NULL},
    [0x32] = {"SetThreadActivity", NULL},
    [0x33] = {"GetThreadContext3", NULL},
    [0x34] = {"WaitForAddress", svc_wait_for_address, RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0), 0},
    [0x35] = {"SignalToAddress", svc_signal_to_address, RT_X(0) | RT_X(1) | RT_X(2) | RT_X(3), RT_X(0), 0},
    [0x36] = {"SynchronizePreemptionState", NULL},
    [0x45] = {"CreateEvent", svc_create_event, 0, RT_X(0) | RT_X(1) | RT_X(2), 0},
    [0x50] = {"CreateSharedMemory", NULL},
    [0x51] = {"MapTransferMemory", NULL},
    [0x52] = {"UnmapTransferMemory", NULL},
    [0x7F] = {"CallSecureMonitor", NULL},
};

void rt_svc(recomp_cpu *cpu, uint32_t imm, uint64_t pc) {
  const svc_entry *entry = imm < 0x80 ? &svc_table[imm] : NULL;
  if (entry == NULL || entry->run == NULL) {
    hos_fault(pc, "svc 0x%02" PRIx32 " (%s) is not implemented", imm, entry != NULL && entry->name != NULL ? entry->name : "unknown");
  }
  rt_svc_call call;
  rt_svc_log_before(&call, cpu, imm, entry->name, entry->args);
  if (entry->ends) rt_svc_log_after(&call, cpu, 0);
  entry->run(cpu, pc);
  if (!entry->ends) rt_svc_log_after(&call, cpu, entry->results);
}
