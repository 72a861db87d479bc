/* runtime/horizon/ipc: what a command reads from and writes to its request (server.h). */
#include <stdio.h>

#include "ipc/server.h"
#include "kernel/kernel.h"
#include "memory.h"

uint8_t hos_in_u8(const hos_request *request, uint32_t offset) { return offset < request->in_size ? request->in[offset] : 0; }

uint32_t hos_in_u32(const hos_request *request, uint32_t offset) {
  uint32_t value = 0;
  for (uint32_t i = 0; i < 4; i++) value |= (uint32_t)hos_in_u8(request, offset + i) << (8 * i);
  return value;
}

uint64_t hos_in_u64(const hos_request *request, uint32_t offset) {
  return hos_in_u32(request, offset) | (uint64_t)hos_in_u32(request, offset + 4) << 32;
}

void hos_out_bytes(hos_request *request, const void *bytes, uint32_t size, uint32_t alignment) {
  uint32_t at = (request->out_size + alignment - 1) / alignment * alignment;
  if (at + size > sizeof request->out - 32) hos_request_fault(request, "writes more raw data than a message holds");
  for (uint32_t i = request->out_size; i < at; i++) request->out[i] = 0;
  for (uint32_t i = 0; i < size; i++) request->out[at + i] = ((const uint8_t *)bytes)[i];
  request->out_size = at + size;
}

static void out_le(hos_request *request, uint64_t value, uint32_t size) {
  uint8_t bytes[8];
  for (uint32_t i = 0; i < size; i++) bytes[i] = (uint8_t)(value >> (8 * i));
  hos_out_bytes(request, bytes, size, size);
}

void hos_out_u8(hos_request *request, uint8_t value) { out_le(request, value, 1); }
void hos_out_u16(hos_request *request, uint16_t value) { out_le(request, value, 2); }
void hos_out_u32(hos_request *request, uint32_t value) { out_le(request, value, 4); }
void hos_out_u64(hos_request *request, uint64_t value) { out_le(request, value, 8); }

void hos_out_copy_handle(hos_request *request, uint32_t handle) {
  if (request->num_copy_handles == HOS_MAX_OUT) hos_request_fault(request, "returns too many copy handles");
  request->copy_handles[request->num_copy_handles++] = handle;
}

void hos_out_move_handle(hos_request *request, uint32_t handle) {
  if (request->num_move_handles == HOS_MAX_OUT) hos_request_fault(request, "returns too many move handles");
  request->move_handles[request->num_move_handles++] = handle;
}

void hos_out_object(hos_request *request, hos_object *object) {
  if (request->num_out_objects == HOS_MAX_OUT) hos_request_fault(request, "returns too many objects");
  request->out_objects[request->num_out_objects++] = object;
}

uint32_t hos_in_copy_handle(const hos_request *request, uint32_t index) {
  return index < request->hipc->num_copy_handles ? request->hipc->copy_handles[index] : 0;
}

static hos_guest_buffer of_buffer(const hipc_buffer *buffers, uint32_t count, uint32_t index) {
  return index < count ? (hos_guest_buffer){buffers[index].address, buffers[index].size} : (hos_guest_buffer){0, 0};
}

hos_guest_buffer hos_buffer_in(const hos_request *request, uint32_t index) {
  return of_buffer(request->hipc->send_buffers, request->hipc->num_send_buffers, index);
}

hos_guest_buffer hos_buffer_out(const hos_request *request, uint32_t index) {
  return of_buffer(request->hipc->recv_buffers, request->hipc->num_recv_buffers, index);
}

hos_guest_buffer hos_pointer_in(const hos_request *request, uint32_t index) {
  for (uint32_t i = 0; i < request->hipc->num_send_statics; i++) {
    const hipc_static *entry = &request->hipc->send_statics[i];
    if (entry->index == index) return (hos_guest_buffer){entry->address, entry->size};
  }
  return (hos_guest_buffer){0, 0};
}

hos_guest_buffer hos_pointer_out(const hos_request *request, uint32_t index) {
  if (index >= request->hipc->num_recv_list) return (hos_guest_buffer){0, 0};
  return (hos_guest_buffer){request->hipc->recv_list[index].address, request->hipc->recv_list[index].size};
}

hos_guest_buffer hos_auto_in(const hos_request *request, uint32_t pointer_index, uint32_t buffer_index) {
  hos_guest_buffer pointer = hos_pointer_in(request, pointer_index);
  return pointer.size != 0 ? pointer : hos_buffer_in(request, buffer_index);
}

hos_guest_buffer hos_auto_out(const hos_request *request, uint32_t pointer_index, uint32_t buffer_index) {
  hos_guest_buffer pointer = hos_pointer_out(request, pointer_index);
  return pointer.size != 0 ? pointer : hos_buffer_out(request, buffer_index);
}

uint8_t *hos_guest(const hos_request *request, hos_guest_buffer buffer, unsigned permissions) {
  if (buffer.size == 0) return NULL;
  if (buffer.address >= RT_GUEST_SPACE_SIZE || buffer.size > RT_GUEST_SPACE_SIZE - buffer.address) {
    hos_request_fault(request, "names a buffer outside guest memory");
  }
  for (uint64_t page = buffer.address >> RT_PAGE_BITS; page <= (buffer.address + buffer.size - 1) >> RT_PAGE_BITS; page++) {
    unsigned state = rt_page_state(page << RT_PAGE_BITS);
    if ((state & RT_MAPPED) == 0 || (permissions & ~state) != 0) {
      char problem[160];
      snprintf(problem, sizeof problem, "names a buffer of %llu bytes at 0x%llx that is not %s guest memory",
               (unsigned long long)buffer.size, (unsigned long long)buffer.address, permissions & RT_WRITE ? "writable" : "readable");
      hos_request_fault(request, problem);
    }
  }
  return rt_guest_base + buffer.address;
}

RT_NORETURN void hos_request_fault(const hos_request *request, const char *problem) {
  const hos_object *target = request->target;
  hos_fault(request->pc, "IPC command %u of %s %s %s", request->command_id, target != NULL ? target->service : "?",
            target != NULL ? target->interface->name : "?", problem);
}
