/*
 * runtime/horizon/kernel: rt_svc of the horizon personality: the SVC table by Horizon number.
 * An SVC without a handler is a fault that names it (Horizon's name where it has one).
 */
#include <inttypes.h>
#include <stdio.h>

#include "kernel/svc.h"
#include "program.h"

typedef struct svc_entry {
  const char *name;
  hos_svc_fn run;
} svc_entry;

static const svc_entry svc_table[0x80] = {
    [0x01] = {"SetHeapSize", svc_set_heap_size},
    [0x02] = {"SetMemoryPermission", svc_set_memory_permission},
    [0x03] = {"SetMemoryAttribute", svc_set_memory_attribute},
    [0x04] = {"MapMemory", svc_map_memory},
    [0x05] = {"UnmapMemory", svc_unmap_memory},
    [0x06] = {"QueryMemory", svc_query_memory},
    [0x07] = {"ExitProcess", svc_exit_process},
    [0x08] = {"CreateThread", svc_create_thread},
    [0x09] = {"StartThread", svc_start_thread},
    [0x0A] = {"ExitThread", svc_exit_thread},
    [0x0B] = {"SleepThread", svc_sleep_thread},
    [0x0C] = {"GetThreadPriority", svc_get_thread_priority},
    [0x0D] = {"SetThreadPriority", svc_set_thread_priority},
    [0x0E] = {"GetThreadCoreMask", svc_get_thread_core_mask},
    [0x0F] = {"SetThreadCoreMask", svc_set_thread_core_mask},
    [0x10] = {"GetCurrentProcessorNumber", svc_get_current_processor_number},
    [0x11] = {"SignalEvent", svc_signal_event},
    [0x12] = {"ClearEvent", svc_clear_event},
    [0x13] = {"MapSharedMemory", svc_map_shared_memory},
    [0x14] = {"UnmapSharedMemory", svc_unmap_shared_memory},
    [0x15] = {"CreateTransferMemory", svc_create_transfer_memory},
    [0x16] = {"CloseHandle", svc_close_handle},
    [0x17] = {"ResetSignal", svc_reset_signal},
    [0x18] = {"WaitSynchronization", svc_wait_synchronization},
    [0x19] = {"CancelSynchronization", svc_cancel_synchronization},
    [0x1A] = {"ArbitrateLock", svc_arbitrate_lock},
    [0x1B] = {"ArbitrateUnlock", svc_arbitrate_unlock},
    [0x1C] = {"WaitProcessWideKeyAtomic", svc_wait_process_wide_key_atomic},
    [0x1D] = {"SignalProcessWideKey", svc_signal_process_wide_key},
    [0x1E] = {"GetSystemTick", svc_get_system_tick},
    [0x1F] = {"ConnectToNamedPort", svc_connect_to_named_port},
    [0x20] = {"SendSyncRequestLight", NULL},
    [0x21] = {"SendSyncRequest", svc_send_sync_request},
    [0x22] = {"SendSyncRequestWithUserBuffer", NULL},
    [0x23] = {"SendAsyncRequestWithUserBuffer", NULL},
    [0x24] = {"GetProcessId", svc_get_process_id},
    [0x25] = {"GetThreadId", svc_get_thread_id},
    [0x26] = {"Break", svc_break},
    [0x27] = {"OutputDebugString", svc_output_debug_string},
    [0x28] = {"ReturnFromException", NULL},
    [0x29] = {"GetInfo", svc_get_info},
    [0x2C] = {"MapPhysicalMemory", NULL},
    [0x2D] = {"UnmapPhysicalMemory", NULL},
    [0x32] = {"SetThreadActivity", NULL},
    [0x33] = {"GetThreadContext3", NULL},
    [0x34] = {"WaitForAddress", svc_wait_for_address},
    [0x35] = {"SignalToAddress", svc_signal_to_address},
    [0x36] = {"SynchronizePreemptionState", NULL},
    [0x45] = {"CreateEvent", svc_create_event},
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
  entry->run(cpu, pc);
}
