/* runtime/horizon/ipc: sessions, domains, control requests and CMIF dispatch (server.h). */
#include <stdlib.h>
#include <string.h>

#include "ipc/server.h"
#include "kernel/kernel.h"
#include "services.h"
#include "services/registry.h"

/* CMIF control request ids (libnx cmif.h). */
enum { CONTROL_CONVERT_TO_DOMAIN, CONTROL_COPY_FROM_DOMAIN, CONTROL_CLONE, CONTROL_QUERY_POINTER_BUFFER_SIZE, CONTROL_CLONE_EX };
/* CMIF command types (the HIPC header's type). */
enum { TYPE_CLOSE = 2, TYPE_REQUEST = 4, TYPE_CONTROL = 5, TYPE_REQUEST_WITH_CONTEXT = 6, TYPE_CONTROL_WITH_CONTEXT = 7 };
enum { DOMAIN_SEND_MESSAGE = 1, DOMAIN_CLOSE = 2 };

hos_object *hos_object_create(const hos_interface *interface, const char *service, uint16_t pointer_buffer_size, void *state) {
  hos_object *object = calloc(1, sizeof *object);
  if (object == NULL) hos_fault(0, "host out of memory");
  *object = (hos_object){interface, service, pointer_buffer_size, state, 0};
  return object;
}

/* Objects live as long as the run once their service state is shared; only the count is kept. */
void hos_object_release(hos_object *object) {
  if (object->references > 0) object->references--;
}

static void destroy_session(hos_kobject *kobject) {
  hos_session *session = (hos_session *)kobject;
  if (session->object != NULL) hos_object_release(session->object);
  for (unsigned i = 0; i < HOS_MAX_DOMAIN_OBJECTS; i++) {
    if (session->domain[i] != NULL) hos_object_release(session->domain[i]);
  }
  free(session);
}

uint32_t hos_session_open(hos_object *object) {
  hos_session *session = calloc(1, sizeof *session);
  if (session == NULL) hos_fault(0, "host out of memory");
  session->kobject = (hos_kobject){HOS_KIND_SESSION, 0, destroy_session};
  session->object = object;
  object->references++;
  uint32_t handle = hos_handle_create(&session->kobject);
  if (handle == 0) destroy_session(&session->kobject);
  return handle;
}

static uint32_t word_at(const uint8_t *bytes, uint32_t offset) {
  return (uint32_t)bytes[offset] | (uint32_t)bytes[offset + 1] << 8 | (uint32_t)bytes[offset + 2] << 16 | (uint32_t)bytes[offset + 3] << 24;
}

static void put_word_at(uint8_t *bytes, uint32_t offset, uint32_t value) {
  for (int i = 0; i < 4; i++) bytes[offset + i] = (uint8_t)(value >> (8 * i));
}

static uint32_t domain_add(hos_session *session, hos_object *object) {
  for (uint32_t i = 0; i < HOS_MAX_DOMAIN_OBJECTS; i++) {
    if (session->domain[i] != NULL) continue;
    session->domain[i] = object;
    object->references++;
    return i + 1;
  }
  hos_fault(0, "domain of %s is full (%u objects)", object->service, HOS_MAX_DOMAIN_OBJECTS);
}

static hos_object *domain_get(const hos_session *session, uint32_t id) {
  return id >= 1 && id <= HOS_MAX_DOMAIN_OBJECTS ? session->domain[id - 1] : NULL;
}

/* Writes the response of a served request: out header, raw data, then handles or domain object ids. */
static hos_result write_response(uint8_t *message, hos_request *request, hos_result result, int domain) {
  hipc_response response = {0};
  uint32_t object_ids[HOS_MAX_OUT];
  uint32_t num_objects = result == HOS_SUCCESS ? request->num_out_objects : 0;
  uint32_t out_size = result == HOS_SUCCESS ? request->out_size : 0;
  for (uint32_t i = 0; i < request->num_copy_handles && result == HOS_SUCCESS; i++) response.copy_handles[response.num_copy_handles++] = request->copy_handles[i];
  for (uint32_t i = 0; i < request->num_move_handles && result == HOS_SUCCESS; i++) response.move_handles[response.num_move_handles++] = request->move_handles[i];
  for (uint32_t i = 0; i < num_objects; i++) {
    if (domain) {
      object_ids[i] = domain_add(request->session, request->out_objects[i]);
    } else {
      uint32_t handle = hos_session_open(request->out_objects[i]);
      if (handle == 0) return KERN_OUT_OF_HANDLES;
      response.move_handles[response.num_move_handles++] = handle;
    }
  }
  response.payload_size = (domain ? 16 + 4 * num_objects : 0) + 16 + out_size;
  int at = hipc_write_response(message, &response);
  if (at < 0) hos_request_fault(request, "response does not fit the message buffer");
  uint32_t offset = (uint32_t)at;
  if (domain) {
    put_word_at(message, offset, num_objects);
    offset += 16;
  }
  put_word_at(message, offset, CMIF_OUT_MAGIC);
  put_word_at(message, offset + 8, result);
  memcpy(message + offset + 16, request->out, out_size);
  for (uint32_t i = 0; domain && i < num_objects; i++) put_word_at(message, offset + 16 + out_size + 4 * i, object_ids[i]);
  const hos_object *target = request->target;
  recomp_ipc_call call = {
      .service = target != NULL ? target->service : "?",
      .interface = request->kind != NULL ? request->kind : target != NULL ? target->interface->name : "?",
      .command = request->command_id,
      .result = result,
      .in = request->in,
      .in_size = request->in_size,
      .out = request->out,
      .out_size = out_size,
  };
  recomp_log_ipc(&call);
  return HOS_SUCCESS;
}

static hos_result run_command(hos_object *object, hos_request *request) {
  const hos_interface *interface = object->interface;
  request->target = object;
  for (size_t i = 0; i < interface->command_count; i++) {
    if (interface->commands[i].id == request->command_id) return interface->commands[i].run(object, request);
  }
  hos_request_fault(request, "is not implemented");
}

/* Reads the CMIF in header at `offset` and the raw data after it (`size` bytes with the header). */
static void read_payload(hos_request *request, const uint8_t *message, uint32_t offset, uint32_t size) {
  if (size < 16 || offset + size > HIPC_MESSAGE_SIZE || word_at(message, offset) != CMIF_IN_MAGIC) {
    hos_request_fault(request, "has no CMIF in header (SFCI)");
  }
  request->command_id = word_at(message, offset + 8);
  request->in_size = size - 16;
  memcpy(request->in, message + offset + 16, request->in_size);
}

static hos_result serve_control(hos_session *session, hos_request *request, uint8_t *message) {
  hos_object *current = session->is_domain ? domain_get(session, 1) : session->object;
  request->target = current;
  request->kind = "control";
  switch (request->command_id) {
    case CONTROL_CONVERT_TO_DOMAIN:
      if (!session->is_domain) {
        session->is_domain = 1;
        session->domain[0] = session->object;
        session->object = NULL;
      }
      hos_out_u32(request, 1);
      break;
    case CONTROL_COPY_FROM_DOMAIN: {
      hos_object *object = domain_get(session, hos_in_u32(request, 0));
      if (object == NULL) return write_response(message, request, SF_TARGET_NOT_FOUND, 0);
      hos_out_object(request, object);
      break;
    }
    case CONTROL_CLONE:
    case CONTROL_CLONE_EX: {
      /* A clone is another client handle to the same session, domain included. */
      uint32_t handle = hos_handle_create(&session->kobject);
      if (handle == 0) return KERN_OUT_OF_HANDLES;
      hos_out_move_handle(request, handle);
      break;
    }
    case CONTROL_QUERY_POINTER_BUFFER_SIZE:
      hos_out_u16(request, current == NULL ? 0 : current->pointer_buffer_size);
      break;
    default:
      hos_request_fault(request, "is not a control request");
  }
  return write_response(message, request, HOS_SUCCESS, 0);
}

static hos_result serve_domain(hos_session *session, hos_request *request, uint8_t *message, uint32_t offset) {
  uint8_t type = message[offset], num_objects = message[offset + 1];
  uint32_t data_size = (uint32_t)message[offset + 2] | (uint32_t)message[offset + 3] << 8;
  uint32_t object_id = word_at(message, offset + 4);
  hos_object *object = domain_get(session, object_id);
  const char *service = request->target != NULL ? request->target->service : "?";
  if (type == DOMAIN_CLOSE) {
    if (object == NULL) hos_fault(request->pc, "domain Close of object %u of %s, which does not exist", object_id, service);
    hos_object_release(object);
    session->domain[object_id - 1] = NULL;
    request->target = object;
    request->command_id = 0;
    request->kind = "close";
    return write_response(message, request, HOS_SUCCESS, 1);
  }
  if (type != DOMAIN_SEND_MESSAGE) hos_fault(request->pc, "domain request type %u to %s is not SendMessage or Close", type, service);
  if (object == NULL) hos_fault(request->pc, "domain request to object %u of %s, which does not exist", object_id, service);
  request->target = object;
  read_payload(request, message, offset + 16, data_size);
  if (num_objects > HOS_MAX_OUT || offset + 16 + data_size + 4u * num_objects > HIPC_MESSAGE_SIZE) {
    hos_request_fault(request, "sends too many domain objects");
  }
  request->num_in_objects = num_objects;
  for (uint32_t i = 0; i < num_objects; i++) request->in_objects[i] = word_at(message, offset + 16 + data_size + 4 * i);
  hos_result result = run_command(object, request);
  return write_response(message, request, result, 1);
}

hos_result hos_session_serve(hos_session *session, uint8_t message[HIPC_MESSAGE_SIZE], uint64_t pc) {
  hipc_message hipc;
  static hos_request request; /* one request at a time: the scheduler runs one thread */
  memset(&request, 0, sizeof request);
  request.hipc = &hipc;
  request.session = session;
  request.pc = pc;
  request.target = session->is_domain ? domain_get(session, 1) : session->object;
  if (hipc_parse(message, &hipc) != 0) hos_fault(pc, "IPC message header counts exceed the 0x100-byte message buffer");
  uint32_t payload = (hipc.data_offset + 15) & ~15u;
  uint32_t payload_size = 4 * hipc.num_data_words > payload - hipc.data_offset ? 4 * hipc.num_data_words - (payload - hipc.data_offset) : 0;
  switch (hipc.type) {
    case TYPE_CLOSE:
      return HOS_SUCCESS; /* the client closes its handle next (svcCloseHandle) */
    case TYPE_CONTROL:
    case TYPE_CONTROL_WITH_CONTEXT:
      read_payload(&request, message, payload, payload_size);
      return serve_control(session, &request, message);
    case TYPE_REQUEST:
    case TYPE_REQUEST_WITH_CONTEXT:
      if (session->is_domain) return serve_domain(session, &request, message, payload);
      read_payload(&request, message, payload, payload_size);
      return write_response(message, &request, run_command(session->object, &request), 0);
    default:
      hos_fault(pc, "IPC message type %u (%s) is not served (TIPC and legacy requests are not implemented)", hipc.type,
                request.target != NULL ? request.target->service : "?");
  }
}
