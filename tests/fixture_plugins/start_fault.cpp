// Plugins that fail while a worker starts, for tests/integration/load_isolation_test.cpp. One source,
// built once per way (FIXTURE_START_FAULT), each into a folder of its own:
//   load_crash     the library's constructor dies of SIGSEGV (what a NULL dereference ends in) when loaded
//   load_hang      the library's constructor never returns
//   create_crash   its decoder of the made-up format "ccrs" (magic "CCRS") dies of SIGSEGV in create()
//   create_hang    its decoder of "chng" (magic "CHNG") never returns from create(), after it appended the
//                  process id to $LIGHTBOX_TEST_CREATE_MARKER (when set: the test's sign that it hangs now)
//   create_marker  its tag stage `pidmark` appends the process id to the file $LIGHTBOX_TEST_CREATE_MARKER
//                  in create() (the test proves no stage is created in the supervisor), then tags every file
//   engine_load_crash  the library's constructor dies of SIGSEGV unless the process is a worker
//                  (`lightbox-engine worker ...`): sound wherever stages run, fatal to a supervisor that opens
//                  it; its tag stage `workeronly` tags every file
#include <lightbox/plugin.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <unistd.h>

#define FIXTURE_LOAD_CRASH 1
#define FIXTURE_LOAD_HANG 2
#define FIXTURE_CREATE_CRASH 3
#define FIXTURE_CREATE_HANG 4
#define FIXTURE_CREATE_MARKER 5
#define FIXTURE_ENGINE_LOAD_CRASH 6

namespace {

[[noreturn, maybe_unused]] void crash_now() {
    // What a NULL dereference ends in, without the undefined behaviour a sanitizer build would report first.
    std::raise(SIGSEGV);
    std::abort();
}

[[noreturn, maybe_unused]] void hang_forever() {
    for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(100));
}

#if FIXTURE_START_FAULT == FIXTURE_LOAD_CRASH
__attribute__((constructor)) void on_load() { crash_now(); }
#elif FIXTURE_START_FAULT == FIXTURE_LOAD_HANG
__attribute__((constructor)) void on_load() { hang_forever(); }
#elif FIXTURE_START_FAULT == FIXTURE_ENGINE_LOAD_CRASH
// The command line is NUL-separated: "lightbox-engine\0worker\0--channel-fd\0..." in a worker.
__attribute__((constructor)) void on_load() {
    std::ifstream in("/proc/self/cmdline", std::ios::binary);
    const std::string cmdline((std::istreambuf_iterator<char>(in)), {});
    const auto first_end = cmdline.find('\0');
    if (first_end == std::string::npos || cmdline.compare(first_end + 1, 7, std::string("worker\0", 7)) != 0) crash_now();
}
#endif

[[maybe_unused]] void mark_pid() {
    if (const char* file = std::getenv("LIGHTBOX_TEST_CREATE_MARKER")) {
        if (FILE* f = std::fopen(file, "a")) {
            std::fprintf(f, "%d\n", static_cast<int>(::getpid()));
            std::fclose(f);
        }
    }
    // The glibc tunables the creating process was started with.
    if (const char* file = std::getenv("LIGHTBOX_TEST_CREATE_ENV_MARKER")) {
        if (FILE* f = std::fopen(file, "a")) {
            const char* tunables = std::getenv("GLIBC_TUNABLES");
            std::fprintf(f, "%s\n", tunables != nullptr ? tunables : "");
            std::fclose(f);
        }
    }
    // The program the creating process runs (which executable the engine starts its workers with).
    if (const char* file = std::getenv("LIGHTBOX_TEST_CREATE_EXE_MARKER")) {
        char exe[4096] = {};
        const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (FILE* f = std::fopen(file, "a"); f != nullptr && n > 0) {
            std::fprintf(f, "%s\n", exe);
            std::fclose(f);
        } else if (f != nullptr) {
            std::fclose(f);
        }
    }
}

class Decoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;
    explicit Decoder(const lbx::sdk::Params&) {
#if FIXTURE_START_FAULT == FIXTURE_CREATE_CRASH
        crash_now();
#elif FIXTURE_START_FAULT == FIXTURE_CREATE_HANG
        mark_pid();
        hang_forever();
#endif
    }
    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest&, lbx::sdk::ImageSink&) const {
        return lbx::sdk::fail(LBX_E_CORRUPT, "not a real file of this format");
    }
};

class PidMarker {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit PidMarker(const lbx::sdk::Params&) { mark_pid(); }
    lbx::sdk::Status tag(const lbx::sdk::TagInput&, lbx::sdk::TagSink& sink) const {
        sink.add("pid-marked", "test", 1.0);
        return lbx::sdk::ok();
    }
};

#if FIXTURE_START_FAULT == FIXTURE_CREATE_HANG
const lbx_format_desc kFormats[] = {lbx::sdk::format("chng", "image/x-chng", "chng", 0, "CHNG")};
#define FIXTURE_ID "org.lightbox.test.create-hang"
#define FIXTURE_STAGE "chngdec"
#elif FIXTURE_START_FAULT == FIXTURE_CREATE_CRASH
const lbx_format_desc kFormats[] = {lbx::sdk::format("ccrs", "image/x-ccrs", "ccrs", 0, "CCRS")};
#define FIXTURE_ID "org.lightbox.test.create-crash"
#define FIXTURE_STAGE "ccrsdec"
#elif FIXTURE_START_FAULT == FIXTURE_LOAD_HANG
const lbx_format_desc kFormats[] = {lbx::sdk::format("lhng", "image/x-lhng", "lhng", 0, "LHNG")};
#define FIXTURE_ID "org.lightbox.test.load-hang"
#define FIXTURE_STAGE "lhngdec"
#else
const lbx_format_desc kFormats[] = {lbx::sdk::format("lcrs", "image/x-lcrs", "lcrs", 0, "LCRS")};
#define FIXTURE_ID "org.lightbox.test.load-crash"
#define FIXTURE_STAGE "lcrsdec"
#endif

#if FIXTURE_START_FAULT == FIXTURE_CREATE_MARKER
const lbx_stage_desc kStage = lbx::sdk::make_stage<PidMarker>("pidmark", "writes its process id when created", 0, {}, {});
#undef FIXTURE_ID
#define FIXTURE_ID "org.lightbox.test.create-marker"
#elif FIXTURE_START_FAULT == FIXTURE_ENGINE_LOAD_CRASH
const lbx_stage_desc kStage = lbx::sdk::make_stage<PidMarker>("workeronly", "loads in worker processes only", 0, {}, {});
#undef FIXTURE_ID
#define FIXTURE_ID "org.lightbox.test.worker-only"
#else
const lbx_stage_desc kStage = lbx::sdk::make_stage<Decoder>(FIXTURE_STAGE, "fails while a worker starts", 0, kFormats, {});
#endif

}  // namespace

LBX_PLUGIN(FIXTURE_ID, "Start-up fault", "0.1.0", "MIT", "a test plugin that fails while a worker starts", &kStage)
