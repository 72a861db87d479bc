/* runtime/horizon/kernel: the SVC handlers, one group per file, dispatched by Horizon number (svc.c). */
#ifndef HOS_SVC_H
#define HOS_SVC_H

#include "cpu.h"
#include "kernel/kernel.h"
#include "kernel/scheduler.h"

typedef void (*hos_svc_fn)(recomp_cpu *cpu, uint64_t pc);

/* svc_memory.c */
void svc_set_heap_size(recomp_cpu *cpu, uint64_t pc);
void svc_set_memory_permission(recomp_cpu *cpu, uint64_t pc);
void svc_set_memory_attribute(recomp_cpu *cpu, uint64_t pc);
void svc_map_memory(recomp_cpu *cpu, uint64_t pc);
void svc_unmap_memory(recomp_cpu *cpu, uint64_t pc);
void svc_query_memory(recomp_cpu *cpu, uint64_t pc);
void svc_map_shared_memory(recomp_cpu *cpu, uint64_t pc);
void svc_unmap_shared_memory(recomp_cpu *cpu, uint64_t pc);
void svc_create_transfer_memory(recomp_cpu *cpu, uint64_t pc);
/* svc_sync.c */
void svc_sleep_thread(recomp_cpu *cpu, uint64_t pc);
void svc_signal_event(recomp_cpu *cpu, uint64_t pc);
void svc_clear_event(recomp_cpu *cpu, uint64_t pc);
void svc_reset_signal(recomp_cpu *cpu, uint64_t pc);
void svc_close_handle(recomp_cpu *cpu, uint64_t pc);
void svc_wait_synchronization(recomp_cpu *cpu, uint64_t pc);
void svc_cancel_synchronization(recomp_cpu *cpu, uint64_t pc);
void svc_arbitrate_lock(recomp_cpu *cpu, uint64_t pc);
void svc_arbitrate_unlock(recomp_cpu *cpu, uint64_t pc);
void svc_wait_process_wide_key_atomic(recomp_cpu *cpu, uint64_t pc);
void svc_signal_process_wide_key(recomp_cpu *cpu, uint64_t pc);
void svc_wait_for_address(recomp_cpu *cpu, uint64_t pc);
void svc_signal_to_address(recomp_cpu *cpu, uint64_t pc);
void svc_create_event(recomp_cpu *cpu, uint64_t pc);
/* svc_thread.c */
void svc_create_thread(recomp_cpu *cpu, uint64_t pc);
void svc_start_thread(recomp_cpu *cpu, uint64_t pc);
void svc_exit_thread(recomp_cpu *cpu, uint64_t pc);
/* svc_process.c */
void svc_exit_process(recomp_cpu *cpu, uint64_t pc);
void svc_get_thread_priority(recomp_cpu *cpu, uint64_t pc);
void svc_set_thread_priority(recomp_cpu *cpu, uint64_t pc);
void svc_get_thread_core_mask(recomp_cpu *cpu, uint64_t pc);
void svc_set_thread_core_mask(recomp_cpu *cpu, uint64_t pc);
void svc_get_current_processor_number(recomp_cpu *cpu, uint64_t pc);
void svc_get_system_tick(recomp_cpu *cpu, uint64_t pc);
void svc_connect_to_named_port(recomp_cpu *cpu, uint64_t pc);
void svc_send_sync_request(recomp_cpu *cpu, uint64_t pc);
void svc_get_thread_id(recomp_cpu *cpu, uint64_t pc);
void svc_get_process_id(recomp_cpu *cpu, uint64_t pc);
void svc_break(recomp_cpu *cpu, uint64_t pc);
void svc_output_debug_string(recomp_cpu *cpu, uint64_t pc);
void svc_get_info(recomp_cpu *cpu, uint64_t pc);

#endif
