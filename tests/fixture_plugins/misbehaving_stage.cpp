// A tag plugin that misbehaves on purpose, for the isolation tests: on a file whose path contains
// `trigger` it does `action` — segv (writes through NULL), abort, hang (loops forever, never polls the
// stop check), alloc (asks for 20 GB at once), leak (allocates and touches 64 MiB a time until it dies),
// exit (calls exit(0)), stdout (writes junk to stdout, then tags normally). Other files get one tag.
// A second stage, the decoder `crashdec` of the made-up format "crsh" (magic "CRSH"), is what
// `plugins check` must catch: it dereferences NULL on inputs of 8 bytes or less and loops forever on
// inputs over 4 KiB; anything between is refused as corrupt.
// Built twice, into folders of their own (misbehaving/ and misbehaving_copy/), so a test can quarantine
// one copy and change the other.
#include <lightbox/plugin.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace {

void crash_now() {
    // What a NULL dereference ends in, without the undefined behaviour that a sanitizer build of this
    // fixture would report and abort on first (the supervisor must see the same death in every build).
    std::raise(SIGSEGV);
    std::abort();  // not reached: SIGSEGV's default action ends the process
}

class Misbehave {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_TAG;
    explicit Misbehave(const lbx::sdk::Params& params)
        : action_(params.get_string("action")), trigger_(params.get_string("trigger")) {}

    lbx::sdk::Status tag(const lbx::sdk::TagInput& input, lbx::sdk::TagSink& sink) const {
        const std::string path(input.source.path());
        if (!trigger_.empty() && path.find(trigger_) != std::string::npos) misbehave();
        sink.add("behaved", "test", 1.0);
        return lbx::sdk::ok();
    }

private:
    void misbehave() const {
        if (action_ == "segv") crash_now();
        if (action_ == "abort") std::abort();
        if (action_ == "exit") std::exit(0);
        if (action_ == "hang") {
            for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (action_ == "alloc") {
            auto huge = std::make_unique<char[]>(size_t(20) << 30);  // bad_alloc under the worker's cap
            std::memset(huge.get(), 1, size_t(20) << 30);
        }
        if (action_ == "leak") {
            for (;;) {
                char* block = static_cast<char*>(std::malloc(size_t(64) << 20));
                if (block == nullptr) crash_now();  // as careless C code would
                std::memset(block, 1, size_t(64) << 20);
            }
        }
        if (action_ == "stdout") {
            std::printf("this line must never reach the engine's stdout\n");
            std::fflush(stdout);
        }
    }

    std::string action_;
    std::string trigger_;
};

class CrashDecoder {
public:
    static constexpr lbx_stage_kind kind = LBX_STAGE_DECODE;
    explicit CrashDecoder(const lbx::sdk::Params&) {}

    lbx::sdk::Status decode(const lbx::sdk::DecodeRequest& request, lbx::sdk::ImageSink&) const {
        const std::size_t size = request.source.bytes().size();
        if (size <= 8) crash_now();
        if (size > 4096) {
            for (;;) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return lbx::sdk::fail(LBX_E_CORRUPT, "not a real crsh file");
    }
};

const lbx_format_desc kCrshFormats[] = {lbx::sdk::format("crsh", "image/x-crsh", "crsh", 0, "CRSH")};
const lbx_stage_desc kCrashDecoder = lbx::sdk::make_stage<CrashDecoder>("crashdec", "crashes and hangs on purpose", 0, kCrshFormats, {});

const lbx_param_desc kParams[] = {
    lbx::sdk::param_string("action", "none", "segv, abort, hang, alloc, leak, exit, stdout or none"),
    lbx::sdk::param_string("trigger", "", "the misbehaviour happens on files whose path contains this"),
};
const lbx_stage_desc kStage = lbx::sdk::make_stage<Misbehave>("misbehave", "misbehaves on trigger files", 0, {}, kParams);

}  // namespace

LBX_PLUGIN("org.lightbox.test.misbehaving", "Misbehaving tagger", "0.1.0", "MIT", "a test plugin that crashes on purpose", &kStage,
           &kCrashDecoder)
