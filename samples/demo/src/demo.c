/*
 * demo: the bundled title. 192 frames of 160x90 at 30 fps with 48 kHz stereo audio: an animated
 * background (B cycles its pattern), bouncing balls (X reverses them), a player square moved by
 * the d-pad or left stick that flashes and sings while A is held, and a melody. Integer only,
 * freestanding: everything it needs from the outside goes through platform.h.
 */
#include "platform.h"

#define WIDTH 160
#define HEIGHT 90
#define FRAMES 192
#define FPS 30
#define SAMPLE_RATE 48000
#define SAMPLES_PER_FRAME (SAMPLE_RATE / FPS)
#define BALLS 3
#define PATTERNS 12
#define PLAYER_SIZE 12

typedef struct ball {
  int32_t x, y, dx, dy; /* 24.8 fixed point */
  uint32_t color;
} ball;

typedef struct voice {
  uint32_t phase, step;
  int32_t level;
} voice;

static uint32_t framebuffer[WIDTH * HEIGHT];
static int16_t audio[SAMPLES_PER_FRAME * 2];

/* Initialised data: lands in the NRO's .data segment. */
static ball balls[BALLS] = {
    {20 << 8, 15 << 8, 384, 256, 0xFF40C0FFu},
    {80 << 8, 60 << 8, -300, 200, 0xFF40FFA0u},
    {130 << 8, 30 << 8, 250, -330, 0xFFFFA040u},
};
static int32_t player_x = 74 << 8, player_y = 39 << 8;
static uint32_t noise_state = 0x2545F491u;

/* Melody in Hz, one note per 8 frames; 0 is a rest. Read-only data. */
static const uint16_t melody[16] = {262, 330, 392, 523, 392, 330, 0, 262, 294, 349, 440, 587, 440, 349, 0, 294};
static const uint8_t pattern_tint[PATTERNS][3] = {
    {40, 20, 90}, {10, 70, 60}, {90, 30, 30}, {20, 20, 20}, {60, 60, 10}, {10, 40, 100},
    {80, 10, 60}, {30, 80, 20}, {50, 50, 50}, {100, 60, 0}, {0, 60, 100}, {70, 0, 0},
};

static uint32_t rgba(uint32_t r, uint32_t g, uint32_t b) { return 0xFF000000u | (b & 255) << 16 | (g & 255) << 8 | (r & 255); }

static uint32_t next_noise(void) {
  uint32_t x = noise_state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  noise_state = x;
  return x;
}

/* Background value of one pixel; a dense switch of 12 cases (a jump table at -O2). */
static __attribute__((noinline)) uint32_t shade(uint32_t pattern, int32_t x, int32_t y, uint32_t t) {
  switch (pattern) {
    case 0: return (uint32_t)(x + (int32_t)t) ^ (uint32_t)y;
    case 1: return (uint32_t)((x - WIDTH / 2) * (x - WIDTH / 2) + (y - HEIGHT / 2) * (y - HEIGHT / 2) + (int32_t)(t * 4)) >> 3;
    case 2: return ((uint32_t)(x >> 3) + (uint32_t)(y >> 3) + (t >> 2)) & 1 ? 200u : 40u;
    case 3: return (uint32_t)((x * 7 + y * 13) / (int32_t)(1 + (t & 7)));
    case 4: return (uint32_t)(y * 255 / HEIGHT) + (t << 1);
    case 5: {
      int32_t dx = x - WIDTH / 2, dy = y - HEIGHT / 2;
      return (uint32_t)((dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy)) * 3 - t * 5;
    }
    case 6: return (uint32_t)(x * y) >> ((t >> 3) & 3);
    case 7: return ((uint32_t)x << 3 | (uint32_t)y) + t * 3;
    case 8: return (uint32_t)((int32_t)t - x) / (uint32_t)(1 + (y & 15));
    case 9: return (uint32_t)(((int32_t)(t * 3) - x * 2) / (1 + (y >> 2)));
    case 10: return (uint32_t)__builtin_clz((uint32_t)(x * 97 + y * 31 + (int32_t)t) | 1) * 8;
    case 11: return (x ^ y) & 8 ? t : ~t;
    default: return 0;
  }
}

static void draw_background(uint32_t pattern, uint32_t t) {
  const uint8_t *tint = pattern_tint[pattern];
  for (int32_t y = 0; y < HEIGHT; y++) {
    for (int32_t x = 0; x < WIDTH; x++) {
      uint32_t v = shade(pattern, x, y, t) & 255;
      framebuffer[y * WIDTH + x] = rgba(tint[0] + (v >> 1), tint[1] + (v >> 2), tint[2] + (v >> 1));
    }
  }
}

static void fill_rect(int32_t left, int32_t top, int32_t size, uint32_t color) {
  for (int32_t y = top; y < top + size; y++) {
    if (y < 0 || y >= HEIGHT) continue;
    for (int32_t x = left; x < left + size; x++) {
      if (x >= 0 && x < WIDTH) framebuffer[y * WIDTH + x] = color;
    }
  }
}

/* Moves a ball; returns 1 when it bounced off a wall this frame. */
static int move_ball(ball *b) {
  int bounced = 0;
  b->x += b->dx;
  b->y += b->dy;
  if (b->x < 0 || b->x > (WIDTH - 6) << 8) {
    b->dx = -b->dx;
    b->x = b->x < 0 ? 0 : (WIDTH - 6) << 8;
    bounced = 1;
  }
  if (b->y < 0 || b->y > (HEIGHT - 6) << 8) {
    b->dy = -b->dy;
    b->y = b->y < 0 ? 0 : (HEIGHT - 6) << 8;
    bounced = 1;
  }
  return bounced;
}

static int32_t clamp(int32_t v, int32_t low, int32_t high) { return v < low ? low : v > high ? high : v; }

static void move_player(const recomp_input_state *input) {
  int32_t dx = input->stick_l_x / 32, dy = -input->stick_l_y / 32; /* up to about 4 px a frame */
  if (input->buttons & RECOMP_BUTTON_LEFT) dx -= 512;
  if (input->buttons & RECOMP_BUTTON_RIGHT) dx += 512;
  if (input->buttons & RECOMP_BUTTON_UP) dy -= 512;
  if (input->buttons & RECOMP_BUTTON_DOWN) dy += 512;
  player_x = clamp(player_x + dx, 0, (WIDTH - PLAYER_SIZE) << 8);
  player_y = clamp(player_y + dy, 0, (HEIGHT - PLAYER_SIZE) << 8);
}

static uint32_t step_for(uint32_t hz) { return (uint32_t)(((uint64_t)hz << 32) / SAMPLE_RATE); }

/* Square wave of the melody, triangle of the player's tone, noise bursts on bounces. */
static void render_audio(voice *lead, voice *tone, uint32_t *noise_frames, int32_t pan) {
  for (uint32_t i = 0; i < SAMPLES_PER_FRAME; i++) {
    int32_t sample = 0;
    if (lead->step != 0) {
      lead->phase += lead->step;
      sample += (lead->phase & 0x80000000u) ? lead->level : -lead->level;
    }
    if (tone->level != 0) {
      tone->phase += tone->step;
      int32_t tri = (int32_t)(tone->phase >> 16) - 32768;
      sample += ((tri < 0 ? -tri : tri) - 16384) * tone->level / 16384;
    }
    if (*noise_frames != 0) sample += (int32_t)(next_noise() >> 20) - 2048;
    int32_t left = clamp(sample * (256 - pan) / 256, -32767, 32767);
    int32_t right = clamp(sample * (256 + pan) / 256, -32767, 32767);
    audio[i * 2] = (int16_t)left;
    audio[i * 2 + 1] = (int16_t)right;
  }
  if (*noise_frames != 0) (*noise_frames)--;
}

/* Writes "demo: <label> <number>" through svcOutputDebugString. */
static void debug_number(const char *label, uint32_t number) {
  char text[48];
  uint32_t n = 0;
  const char *prefix = "demo: ";
  while (*prefix != 0) text[n++] = *prefix++;
  while (*label != 0 && n < 32) text[n++] = *label++;
  text[n++] = ' ';
  char digits[10];
  uint32_t count = 0;
  do {
    digits[count++] = (char)('0' + number % 10);
    number /= 10;
  } while (number != 0);
  while (count != 0) text[n++] = digits[--count];
  plat_debug(text, n);
}

void demo_main(void) {
  voice lead = {0, 0, 3000}, tone = {0, 0, 0};
  uint32_t pattern = 0, noise_frames = 0;
  uint64_t previous_buttons = 0;
  const uint64_t ticks_per_frame = RECOMP_TICK_FREQUENCY / FPS;
  debug_number("start frames", FRAMES);
  for (uint32_t frame = 0; frame < FRAMES; frame++) {
    uint32_t t = (uint32_t)(plat_tick() / ticks_per_frame);
    recomp_input_state input = plat_read_input();
    uint64_t pressed = input.buttons & ~previous_buttons;
    previous_buttons = input.buttons;
    if (pressed & RECOMP_BUTTON_B) {
      pattern = (pattern + 1) % PATTERNS;
      debug_number("pattern", pattern);
    }
    if (pressed & RECOMP_BUTTON_X) {
      for (int i = 0; i < BALLS; i++) {
        balls[i].dx = -balls[i].dx;
        balls[i].dy = -balls[i].dy;
      }
    }
    move_player(&input);

    draw_background(pattern, t);
    for (int i = 0; i < BALLS; i++) {
      if (move_ball(&balls[i])) noise_frames = 2;
      fill_rect(balls[i].x >> 8, balls[i].y >> 8, 6, balls[i].color);
    }
    int held_a = (input.buttons & RECOMP_BUTTON_A) != 0;
    uint32_t player_color = held_a ? ((t & 2) ? rgba(255, 255, 255) : rgba(255, 60, 60)) : rgba(250, 220, 40);
    fill_rect(player_x >> 8, player_y >> 8, PLAYER_SIZE, player_color);

    lead.step = step_for(melody[(t >> 3) & 15]);
    tone.level = held_a ? 6000 : 0;
    tone.step = step_for(220 + (uint32_t)(HEIGHT - (player_y >> 8)) * 8);
    int32_t pan = ((player_x >> 8) - WIDTH / 2) * 3 / 2;
    render_audio(&lead, &tone, &noise_frames, pan);

    plat_submit_audio(audio, SAMPLES_PER_FRAME);
    plat_present(framebuffer, WIDTH, HEIGHT);
  }
  debug_number("done frames", FRAMES);
}
