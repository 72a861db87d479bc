/*
 * runtime/horizon/services/time: "time:u" (IStaticService) with its clocks, the time zone
 * service and the 0x1000-byte shared memory libnx reads clocks from (time.c
 * _timeReadSharedmemObj: at 0x00 the steady clock's base, at 0x38 the user system clock's
 * context, at 0x80 the network clock's; each a u32 counter, then two copies from +8 of which
 * counter & 1 is current). Time is virtual: the steady clock counts the virtual ticks from 0,
 * and the system clocks start at 2024-01-01 00:00:00 UTC, so a run never reads the wall clock.
 */
#include <string.h>

#include "kernel/kernel.h"
#include "services/registry.h"

#define TIME_SHARED_MEMORY_SIZE 0x1000u
#define TIME_EPOCH INT64_C(1704067200) /* 2024-01-01T00:00:00Z */
/* The steady clock's source id (a Uuid); system-clock contexts name the same source, so libnx trusts them. */
static const uint8_t clock_source[16] = {0x72, 0x65, 0x63, 0x6F, 0x6D, 0x70, 0x2D, 0x73, 0x74, 0x65, 0x61, 0x64, 0x79, 0x00, 0x00, 0x01};

static hos_shared_memory *shared;

static void put(uint8_t *at, uint64_t value, unsigned size) {
  for (unsigned i = 0; i < size; i++) at[i] = (uint8_t)(value >> (8 * i));
}

/* Seconds since the steady clock's start: virtual ticks at 19.2 MHz. */
static int64_t steady_seconds(void) { return (int64_t)(hos_system_tick() / 19200000u); }

/* A TimeSystemClockContext {offset, {time_point 0, source}} at `at`. */
static void put_clock_context(uint8_t *at) {
  put(at, (uint64_t)TIME_EPOCH, 8);
  put(at + 8, 0, 8);
  memcpy(at + 16, clock_source, 16);
}

static void create_shared_memory(void) {
  if (shared != NULL) return;
  shared = hos_shared_memory_create(TIME_SHARED_MEMORY_SIZE, HOS_PERM_R);
  hos_kobject_retain(&shared->object);
  uint8_t *memory = shared->host;
  memcpy(memory + 0x08 + 8, clock_source, 16); /* TimeStandardSteadyClockTimePointType {base_time 0, source} */
  put_clock_context(memory + 0x38 + 8);
  put_clock_context(memory + 0x80 + 8);
}

static hos_result get_current_time(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, (uint64_t)(TIME_EPOCH + steady_seconds()));
  return HOS_SUCCESS;
}

HOS_INTERFACE(system_clock, "ISystemClock", {0, get_current_time});

static hos_result get_current_time_point(hos_object *self, hos_request *request) {
  (void)self;
  hos_out_u64(request, (uint64_t)steady_seconds());
  hos_out_bytes(request, clock_source, 16, 1);
  return HOS_SUCCESS;
}

HOS_INTERFACE(steady_clock, "ISteadyClock", {0, get_current_time_point});

/* Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days). */
static void civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_index = (5 * day_of_year + 2) / 153;
  *day = (unsigned)(day_of_year - (153 * month_index + 2) / 5 + 1);
  *month = (unsigned)(month_index < 10 ? month_index + 3 : month_index - 9);
  *year = year_of_era + era * 400 + (*month <= 2);
}

static unsigned day_of_year(int64_t year, unsigned month, unsigned day) {
  static const unsigned before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return before[month - 1] + day - 1 + (leap && month > 2);
}

/* ToCalendarTimeWithMyRule (101): the device's rule is UTC. Out: TimeCalendarTime, TimeCalendarAdditionalInfo. */
static hos_result to_calendar_time_with_my_rule(hos_object *self, hos_request *request) {
  (void)self;
  int64_t time = (int64_t)hos_in_u64(request, 0);
  int64_t days = (time >= 0 ? time : time - 86399) / 86400, seconds = time - days * 86400, year;
  unsigned month, day;
  civil_from_days(days, &year, &month, &day);
  uint8_t calendar[8] = {(uint8_t)year, (uint8_t)(year >> 8), (uint8_t)month, (uint8_t)day, (uint8_t)(seconds / 3600),
                         (uint8_t)(seconds / 60 % 60), (uint8_t)(seconds % 60), 0};
  hos_out_bytes(request, calendar, 8, 2);
  hos_out_u32(request, (uint32_t)(((days % 7) + 11) % 7)); /* 1970-01-01 was a Thursday (4) */
  hos_out_u32(request, day_of_year(year, month, day));
  hos_out_bytes(request, "UTC\0\0\0\0\0", 8, 1);
  hos_out_u32(request, 0); /* no DST */
  hos_out_u32(request, 0); /* offset from UTC */
  return HOS_SUCCESS;
}

HOS_INTERFACE(time_zone_service, "ITimeZoneService", {101, to_calendar_time_with_my_rule});

#define OPEN(function, interface)                                                    \
  static hos_result function(hos_object *self, hos_request *request) {             \
    hos_out_object(request, hos_object_create(&interface, self->service, 0, NULL)); \
    return HOS_SUCCESS;                                                             \
  }
OPEN(get_system_clock, system_clock)
OPEN(get_steady_clock, steady_clock)
OPEN(get_time_zone_service, time_zone_service)

static hos_result get_shared_memory_native_handle(hos_object *self, hos_request *request) {
  (void)self;
  create_shared_memory();
  uint32_t handle = hos_handle_create(&shared->object);
  if (handle == 0) return KERN_OUT_OF_HANDLES;
  hos_out_copy_handle(request, handle);
  return HOS_SUCCESS;
}

/* 0 user, 1 network, 4 local system clock; 2 steady clock; 3 time zone; 20 shared memory. */
HOS_INTERFACE(static_service, "IStaticService", {0, get_system_clock}, {1, get_system_clock}, {2, get_steady_clock},
              {3, get_time_zone_service}, {4, get_system_clock}, {20, get_shared_memory_native_handle});

hos_object *hos_time_open(const char *name) { return hos_object_create(&static_service, name, 0, NULL); }
