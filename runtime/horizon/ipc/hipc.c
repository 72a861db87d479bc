/* runtime/horizon/ipc: HIPC parsing and response writing (hipc.h). Little-endian words. */
#include <string.h>

#include "ipc/hipc.h"

static uint32_t word(const uint8_t *message, uint32_t offset) {
  return (uint32_t)message[offset] | (uint32_t)message[offset + 1] << 8 | (uint32_t)message[offset + 2] << 16 |
         (uint32_t)message[offset + 3] << 24;
}

static void put_word(uint8_t *message, uint32_t offset, uint32_t value) {
  for (int i = 0; i < 4; i++) message[offset + i] = (uint8_t)(value >> (8 * i));
}

/* The 36-bit address split over three fields of X and A/B/W descriptors. */
static uint64_t split_address(uint32_t low, uint32_t mid, uint32_t high) {
  return (uint64_t)low | (uint64_t)mid << 32 | (uint64_t)high << 36;
}

static void parse_buffers(const uint8_t *message, uint32_t *at, uint32_t count, hipc_buffer *out) {
  for (uint32_t i = 0; i < count; i++, *at += 12) {
    uint32_t size_low = word(message, *at), address_low = word(message, *at + 4), packed = word(message, *at + 8);
    out[i].mode = packed & 3;
    out[i].address = split_address(address_low, packed >> 28, (packed >> 2) & 0x3FFFFF);
    out[i].size = size_low | (uint64_t)((packed >> 24) & 0xF) << 32;
  }
}

int hipc_parse(const uint8_t message[HIPC_MESSAGE_SIZE], hipc_message *out) {
  memset(out, 0, sizeof *out);
  uint32_t h0 = word(message, 0), h1 = word(message, 4);
  out->type = h0 & 0xFFFF;
  out->num_send_statics = (h0 >> 16) & 0xF;
  out->num_send_buffers = (h0 >> 20) & 0xF;
  out->num_recv_buffers = (h0 >> 24) & 0xF;
  out->num_exch_buffers = (h0 >> 28) & 0xF;
  out->num_data_words = h1 & 0x3FF;
  out->recv_static_mode = (h1 >> 10) & 0xF;
  uint32_t at = 8;
  if (h1 >> 31) {
    uint32_t special = word(message, at);
    at += 4;
    out->send_pid = special & 1;
    out->num_copy_handles = (special >> 1) & 0xF;
    out->num_move_handles = (special >> 5) & 0xF;
    if (out->send_pid) {
      out->pid = word(message, at) | (uint64_t)word(message, at + 4) << 32;
      at += 8;
    }
  }
  out->num_recv_list = out->recv_static_mode == HIPC_RECV_STATIC_AUTO ? 1 : out->recv_static_mode > 2 ? out->recv_static_mode - 2 : 0;
  uint32_t total = at + 4 * (out->num_copy_handles + out->num_move_handles) + 8 * out->num_send_statics +
                   12 * (out->num_send_buffers + out->num_recv_buffers + out->num_exch_buffers) + 4 * out->num_data_words +
                   8 * out->num_recv_list;
  if (total > HIPC_MESSAGE_SIZE || out->num_copy_handles > HIPC_MAX_HANDLES || out->num_move_handles > HIPC_MAX_HANDLES ||
      out->num_recv_list > HIPC_MAX_DESCRIPTORS) {
    return -1;
  }
  for (uint32_t i = 0; i < out->num_copy_handles; i++, at += 4) out->copy_handles[i] = word(message, at);
  for (uint32_t i = 0; i < out->num_move_handles; i++, at += 4) out->move_handles[i] = word(message, at);
  for (uint32_t i = 0; i < out->num_send_statics; i++, at += 8) {
    uint32_t packed = word(message, at);
    out->send_statics[i].index = packed & 0x3F;
    out->send_statics[i].address = split_address(word(message, at + 4), (packed >> 12) & 0xF, (packed >> 6) & 0x3F);
    out->send_statics[i].size = packed >> 16;
  }
  parse_buffers(message, &at, out->num_send_buffers, out->send_buffers);
  parse_buffers(message, &at, out->num_recv_buffers, out->recv_buffers);
  parse_buffers(message, &at, out->num_exch_buffers, out->exch_buffers);
  out->data_offset = at;
  at += 4 * out->num_data_words;
  for (uint32_t i = 0; i < out->num_recv_list; i++, at += 8) {
    uint32_t packed = word(message, at + 4);
    out->recv_list[i].address = word(message, at) | (uint64_t)(packed & 0xFFFF) << 32;
    out->recv_list[i].size = packed >> 16;
  }
  return 0;
}

int hipc_write_response(uint8_t message[HIPC_MESSAGE_SIZE], const hipc_response *response) {
  int special = response->num_copy_handles != 0 || response->num_move_handles != 0;
  if (response->num_copy_handles > HIPC_MAX_HANDLES || response->num_move_handles > HIPC_MAX_HANDLES) return -1;
  uint32_t data_offset = 8 + (special ? 4 + 4 * (response->num_copy_handles + response->num_move_handles) : 0);
  uint32_t payload_offset = (data_offset + 15) & ~15u;
  uint32_t num_data_words = (payload_offset - data_offset + response->payload_size + 3) / 4;
  if (data_offset + 4 * num_data_words > HIPC_MESSAGE_SIZE) return -1;
  memset(message, 0, HIPC_MESSAGE_SIZE);
  put_word(message, 0, 0);
  put_word(message, 4, num_data_words | (special ? 1u << 31 : 0));
  uint32_t at = 8;
  if (special) {
    put_word(message, at, response->num_copy_handles << 1 | response->num_move_handles << 5);
    at += 4;
    for (uint32_t i = 0; i < response->num_copy_handles; i++, at += 4) put_word(message, at, response->copy_handles[i]);
    for (uint32_t i = 0; i < response->num_move_handles; i++, at += 4) put_word(message, at, response->move_handles[i]);
  }
  return (int)payload_offset;
}
