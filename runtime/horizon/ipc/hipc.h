/*
 * runtime/horizon/ipc: HIPC, the kernel's message format in the 0x100-byte TLS message buffer
 * (layout of libnx's sf/hipc.h): header, optional special header (pid, copy and move handles),
 * X (send static), A (send), B (receive), W (exchange) descriptors, data words and the receive
 * list (C descriptors). Parsing checks every count against the buffer; addresses stay guest
 * addresses (the services check them against guest memory when they touch them).
 */
#ifndef HOS_HIPC_H
#define HOS_HIPC_H

#include <stddef.h>
#include <stdint.h>

#define HIPC_MESSAGE_SIZE 0x100u
#define HIPC_MAX_HANDLES 15u
#define HIPC_MAX_DESCRIPTORS 15u
/* recv_static_mode 2: one receive-list entry naming the whole pointer buffer ("auto"). */
#define HIPC_RECV_STATIC_AUTO 2u

typedef struct hipc_static {
  uint32_t index;
  uint64_t address, size;
} hipc_static;

typedef struct hipc_buffer {
  uint64_t address, size;
  uint32_t mode;
} hipc_buffer;

typedef struct hipc_recv_entry {
  uint64_t address, size;
} hipc_recv_entry;

typedef struct hipc_message {
  uint32_t type; /* CMIF command type: 2 Close, 4 Request, 5 Control, 6/7 ...WithContext */
  int send_pid;
  uint64_t pid;
  uint32_t num_copy_handles, num_move_handles;
  uint32_t copy_handles[HIPC_MAX_HANDLES], move_handles[HIPC_MAX_HANDLES];
  uint32_t num_send_statics, num_send_buffers, num_recv_buffers, num_exch_buffers;
  hipc_static send_statics[HIPC_MAX_DESCRIPTORS];
  hipc_buffer send_buffers[HIPC_MAX_DESCRIPTORS], recv_buffers[HIPC_MAX_DESCRIPTORS], exch_buffers[HIPC_MAX_DESCRIPTORS];
  uint32_t data_offset, num_data_words; /* data words start data_offset bytes into the message */
  uint32_t recv_static_mode, num_recv_list;
  hipc_recv_entry recv_list[HIPC_MAX_DESCRIPTORS];
} hipc_message;

/* Parses a request; 0, or -1 when the header's counts run past the message buffer. */
int hipc_parse(const uint8_t message[HIPC_MESSAGE_SIZE], hipc_message *out);

/* What a response carries: handles (in order: copy, then move) and the CMIF payload's size in bytes. */
typedef struct hipc_response {
  uint32_t num_copy_handles, num_move_handles;
  uint32_t copy_handles[HIPC_MAX_HANDLES], move_handles[HIPC_MAX_HANDLES];
  uint32_t payload_size;
} hipc_response;

/*
 * Writes a response's header, special header and handles into `message` (zeroing the rest) and
 * returns the offset where the caller writes the payload: the data words' start aligned to 16
 * bytes from the message start, as CMIF reads it (cmifGetAlignedDataStart); the data words
 * cover the padding and the payload. -1 when it does not fit.
 */
int hipc_write_response(uint8_t message[HIPC_MESSAGE_SIZE], const hipc_response *response);

#endif
