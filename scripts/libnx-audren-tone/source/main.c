// audren-tone: a libnx program that plays one wave buffer through the audio renderer (audren:u) with libnx's
// audio driver (audrv), the way switch-examples' audio programs set it up, and prints nothing.
//
// Timeline, in renderer frames of 240 sample frames (5 ms at 48 kHz):
//   - SILENT_FRAMES frames of silence after the renderer starts (nothing queued);
//   - then one PCM16 mono wave buffer of TONE_SAMPLES sample frames (a TONE_HZ sine at 30% of full scale) on
//     voice 0, mixed at factor 1.0 into both channels of the final mix, played to its end;
//   - then SILENT_FRAMES frames of silence again, and the program exits.
#include <malloc.h>
#include <math.h>
#include <string.h>
#include <switch.h>

#define SAMPLE_RATE 48000
#define TONE_HZ 1000
#define TONE_SAMPLES 4800
#define SILENT_FRAMES 20

static const AudioRendererConfig config = {
    .output_rate = AudioRendererOutputRate_48kHz,
    .num_voices = 4,
    .num_effects = 0,
    .num_sinks = 1,
    .num_mix_objs = 1,
    .num_mix_buffers = 2,
};

static void wait_frames(AudioDriver *driver, int frames) {
    for (int i = 0; i < frames; i++) {
        audrvUpdate(driver);
        audrenWaitFrame();
    }
}

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    if (R_FAILED(audrenInitialize(&config))) return 1;
    AudioDriver driver;
    if (R_FAILED(audrvCreate(&driver, &config, 2))) return 2;

    size_t pool_size = (TONE_SAMPLES * sizeof(s16) + (AUDREN_MEMPOOL_ALIGNMENT - 1)) & ~(AUDREN_MEMPOOL_ALIGNMENT - 1);
    s16 *samples = memalign(AUDREN_MEMPOOL_ALIGNMENT, pool_size);
    memset(samples, 0, pool_size);
    for (int i = 0; i < TONE_SAMPLES; i++) samples[i] = (s16)(0.3f * 32767.0f * sinf(2.0f * (float)M_PI * TONE_HZ * i / SAMPLE_RATE));
    armDCacheFlush(samples, pool_size);

    int pool = audrvMemPoolAdd(&driver, samples, pool_size);
    audrvMemPoolAttach(&driver, pool);
    static const u8 sink_channels[] = {0, 1};
    audrvDeviceSinkAdd(&driver, AUDREN_DEFAULT_DEVICE_NAME, 2, sink_channels);
    audrvUpdate(&driver);
    audrenStartAudioRenderer();

    audrvVoiceInit(&driver, 0, 1, PcmFormat_Int16, SAMPLE_RATE);
    audrvVoiceSetDestinationMix(&driver, 0, AUDREN_FINAL_MIX_ID);
    audrvVoiceSetMixFactor(&driver, 0, 1.0f, 0, 0);
    audrvVoiceSetMixFactor(&driver, 0, 1.0f, 0, 1);
    wait_frames(&driver, SILENT_FRAMES);

    AudioDriverWaveBuf wave = {0};
    wave.data_raw = samples;
    wave.size = pool_size;
    wave.start_sample_offset = 0;
    wave.end_sample_offset = TONE_SAMPLES;
    audrvVoiceAddWaveBuf(&driver, 0, &wave);
    audrvVoiceStart(&driver, 0);
    while (wave.state != AudioDriverWaveBufState_Done) wait_frames(&driver, 1);
    wait_frames(&driver, SILENT_FRAMES);

    audrvClose(&driver);
    audrenExit();
    free(samples);
    return 0;
}
